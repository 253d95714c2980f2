namespace Cordial.Emulator.Discord.Control;

/// <summary>Body of POST /_emulator/discord/dms.</summary>
internal sealed record OpenDirectMessageRequest(ulong UserId, ulong BotUserId);
