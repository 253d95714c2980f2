namespace Cordial.Bot.Delivery;

/// <summary>
/// A message to create or an edit to apply: either text content or one embed, never both.
/// Its <see cref="AllowedMentions"/> are always <see cref="Delivery.AllowedMentions.None"/>.
/// </summary>
public sealed record OutgoingMessage
{
    private OutgoingMessage(string? content, OutgoingEmbed? embed, ulong? replyToMessageId, bool silent)
    {
        Content = content;
        Embed = embed;
        ReplyToMessageId = replyToMessageId;
        Silent = silent;
    }

    /// <summary>The text content (at most 2000 characters), or null when the message is an embed.</summary>
    public string? Content { get; }

    /// <summary>The embed, or null when the message is text content.</summary>
    public OutgoingEmbed? Embed { get; }

    /// <summary>
    /// The message this one replies to (a message reference in the same channel), or null. Ignored by edits:
    /// Discord does not change the reference of an existing message.
    /// </summary>
    public ulong? ReplyToMessageId { get; }

    /// <summary>Whether the message is sent with SUPPRESS_NOTIFICATIONS (1 &lt;&lt; 12).</summary>
    public bool Silent { get; }

    /// <summary>Always none: see <see cref="Delivery.AllowedMentions"/>.</summary>
    public AllowedMentions AllowedMentions => AllowedMentions.None;

    /// <summary>A text message.</summary>
    public static OutgoingMessage FromContent(string content, ulong? replyToMessageId = null, bool silent = false)
    {
        ArgumentNullException.ThrowIfNull(content);
        return new OutgoingMessage(content, null, replyToMessageId, silent);
    }

    /// <summary>A message made of one embed.</summary>
    public static OutgoingMessage FromEmbed(OutgoingEmbed embed, ulong? replyToMessageId = null, bool silent = false)
    {
        ArgumentNullException.ThrowIfNull(embed);
        return new OutgoingMessage(null, embed, replyToMessageId, silent);
    }

    /// <summary>The visible text: the content or the embed description.</summary>
    public string Text => Content ?? Embed!.Description;
}
