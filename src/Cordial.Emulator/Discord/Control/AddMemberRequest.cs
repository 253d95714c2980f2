namespace Cordial.Emulator.Discord.Control;

/// <summary>Body of POST /_emulator/discord/guilds/{guildId}/members.</summary>
internal sealed record AddMemberRequest(ulong UserId, ulong[]? RoleIds);
