namespace Cordial.Emulator.Discord;

/// <summary>A message as stored by the emulator. Immutable snapshot: an edit stores a new snapshot.</summary>
/// <param name="Embeds">The embeds as JSON array text ("[]" when none).</param>
/// <param name="AllowedMentions">The allowed_mentions object the sender gave, as JSON text, or null.</param>
/// <param name="Revisions">Every version, oldest first: [0] is the message as created, then one per edit.</param>
public sealed record EmulatedMessage(
    ulong Id,
    ulong ChannelId,
    ulong? GuildId,
    ulong AuthorId,
    string Content,
    string Embeds,
    ulong? ReplyToMessageId,
    int Flags,
    string? AllowedMentions,
    bool Deleted,
    IReadOnlyList<EmulatedRevision> Revisions,
    IReadOnlyList<EmulatedAttachment> Attachments,
    IReadOnlyList<ulong> MentionUserIds,
    IReadOnlyList<ulong> MentionRoleIds,
    bool MentionEveryone,
    int Type,
    string? Components,
    ulong? InteractionId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EditedAt)
{
    /// <summary>Number of edits (revisions after the first).</summary>
    public int EditCount => Revisions.Count - 1;
}
