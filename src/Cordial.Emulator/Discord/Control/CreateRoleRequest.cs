namespace Cordial.Emulator.Discord.Control;

/// <summary>Body of POST /_emulator/discord/guilds/{guildId}/roles.</summary>
internal sealed record CreateRoleRequest(string Name, ulong? Permissions);
