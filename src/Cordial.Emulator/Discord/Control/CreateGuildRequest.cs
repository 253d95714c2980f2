namespace Cordial.Emulator.Discord.Control;

/// <summary>Body of POST /_emulator/discord/guilds.</summary>
internal sealed record CreateGuildRequest(string Name, ulong? OwnerId);
