namespace Cordial.Emulator.Discord.Control;

/// <summary>Body of PATCH /_emulator/discord/channels/{channelId}/messages/{messageId}: a user edits their message.</summary>
internal sealed record EditMessageRequest(string? Content);
