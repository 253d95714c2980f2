namespace Cordial.Emulator.Discord;

/// <summary>A validated message to create.</summary>
internal sealed record MessageDraft(
    string Content,
    string EmbedsJson,
    int Flags,
    string? AllowedMentionsJson,
    string? ComponentsJson,
    ulong? ReplyToMessageId,
    IReadOnlyList<EmulatedAttachment> Attachments);
