namespace Cordial.Emulator.Discord.Control;

/// <summary>Body of POST /_emulator/discord/channels/{channelId}/typing.</summary>
internal sealed record TypingRequest(ulong UserId);
