namespace Cordial.Bot.Messages;

/// <summary>
/// A Discord message as the bot's brain sees it: only what triggers, permissions and conversations need.
/// Built by the Discord adapter from a MESSAGE_CREATE dispatch (or a REST fetch); Cordial.Bot never sees wire JSON.
/// </summary>
public sealed record IncomingMessage
{
    public required ulong Id { get; init; }

    public required ulong ChannelId { get; init; }

    public required MessageAuthor Author { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>
    /// When the bot read the gateway frame carrying it (a TimeProvider timestamp of the bot's clock); 0 when unknown
    /// (fetched by REST, or a /chat prompt). The start of the bot-overhead measurement (Diagnostics.BotStats).
    /// </summary>
    public long ReceivedTimestamp { get; init; }

    /// <summary>Where the message was written: guild channel, thread or DM, with its parents.</summary>
    public required ChannelInfo Channel { get; init; }

    public string Content { get; init; } = "";

    public IReadOnlyList<ulong> MentionedUserIds { get; init; } = [];

    public IReadOnlyList<ulong> MentionedRoleIds { get; init; } = [];

    /// <summary>The message this one replies to, when it is a reply.</summary>
    public ulong? ReplyToMessageId { get; init; }

    /// <summary>The author of the replied-to message, when Discord sent it along (it does on MESSAGE_CREATE).</summary>
    public ulong? ReplyToAuthorId { get; init; }

    public IReadOnlyList<IncomingAttachment> Attachments { get; init; } = [];

    public ulong? GuildId => Channel.GuildId;
}

/// <summary>The author of a message, with the roles they hold in the guild (none in DMs).</summary>
public sealed record MessageAuthor(ulong Id, string Name, bool IsBot)
{
    public IReadOnlyList<ulong> RoleIds { get; init; } = [];
}

/// <summary>A file attached to a message.</summary>
public sealed record IncomingAttachment(string Filename, string? ContentType, long Size, string Url);
