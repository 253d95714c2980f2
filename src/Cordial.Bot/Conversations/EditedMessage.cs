using Cordial.Bot.Messages;

namespace Cordial.Bot.Conversations;

/// <summary>
/// A message edit (MESSAGE_UPDATE) as the bot's brain sees it. Discord may send only part of the message: a null
/// <see cref="Content"/> or <see cref="Attachments"/> means "not in the update" (unchanged), not "empty".
/// </summary>
public sealed record EditedMessage
{
    public required ulong Id { get; init; }

    public required ulong ChannelId { get; init; }

    /// <summary>The author, when the update carries it.</summary>
    public ulong? AuthorId { get; init; }

    /// <summary>The new text; null when the update does not carry it.</summary>
    public string? Content { get; init; }

    /// <summary>The attachments after the edit; null when the update does not carry them.</summary>
    public IReadOnlyList<IncomingAttachment>? Attachments { get; init; }
}
