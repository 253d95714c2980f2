namespace Cordial.Emulator.Discord.Control;

/// <summary>Body of POST /_emulator/discord/channels/{channelId}/threads.</summary>
internal sealed record CreateThreadRequest(string Name, ulong OwnerId, ulong? StarterMessageId);
