namespace Cordial.Emulator.Discord;

/// <summary>A validated edit; null fields stay as they are.</summary>
internal sealed record MessageEdit(
    string? Content,
    string? EmbedsJson,
    int? Flags,
    string? AllowedMentionsJson,
    string? ComponentsJson,
    IReadOnlyList<EmulatedAttachment>? Attachments);
