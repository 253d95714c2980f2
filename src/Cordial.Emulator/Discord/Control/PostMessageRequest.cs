namespace Cordial.Emulator.Discord.Control;

/// <summary>Body of POST /_emulator/discord/channels/{channelId}/messages.</summary>
internal sealed record PostMessageRequest(ulong AuthorId, string Content, ulong? ReplyToMessageId, AttachmentRequest[]? Attachments);
