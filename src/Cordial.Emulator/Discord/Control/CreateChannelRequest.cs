namespace Cordial.Emulator.Discord.Control;

/// <summary>Body of POST /_emulator/discord/guilds/{guildId}/channels.</summary>
internal sealed record CreateChannelRequest(string Name, EmulatedChannelKind? Kind, ulong? ParentId);
