namespace Cordial.Bot.Conversations;

/// <summary>Who said a turn, from the model's point of view.</summary>
public enum NodeRole
{
    User = 0,
    Assistant = 1,
}

/// <summary>
/// One message of a conversation, as stored: its text already cleaned (bot mention removed, text attachments inlined),
/// and a link to its parent. A conversation is the chain of parents from the newest node back.
/// </summary>
/// <remarks>Immutable; safe to share between threads and to cache.</remarks>
public sealed record MessageNode
{
    public required ulong Id { get; init; }

    public required ulong ChannelId { get; init; }

    public ulong? GuildId { get; init; }

    public required ulong AuthorId { get; init; }

    public string AuthorName { get; init; } = "";

    public required NodeRole Role { get; init; }

    /// <summary>The text the model sees for this message.</summary>
    public string Text { get; init; } = "";

    /// <summary>
    /// The estimated tokens of <see cref="Text"/> (<see cref="TokenEstimator"/>), computed once when the node is made and
    /// stored with it, so budgeting a conversation only adds numbers. 0 for an empty text; 0 with a text means "not
    /// computed" (see <see cref="Tokens"/>). Its character count is <c>Text.Length</c>.
    /// </summary>
    public int TokenCount { get; init; }

    /// <summary><see cref="TokenCount"/>, or the estimate when a node was made without one.</summary>
    public int Tokens => TokenCount > 0 || Text.Length == 0 ? TokenCount : TokenEstimator.Estimate(Text);

    /// <summary>The previous message of this conversation; null at a conversation's start.</summary>
    public ulong? ParentId { get; init; }

    /// <summary>Image URLs for vision models.</summary>
    public IReadOnlyList<string> ImageUrls { get; init; } = [];

    /// <summary>Warnings that apply to this message (attachment not read, text cut), shown to the user.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The model that wrote an assistant node.</summary>
    public string? Model { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}
