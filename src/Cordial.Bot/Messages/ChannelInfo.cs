namespace Cordial.Bot.Messages;

/// <summary>What kind of place a message was written in.</summary>
public enum ChannelKind
{
    /// <summary>An ordinary guild text channel.</summary>
    GuildText,

    /// <summary>A thread inside a guild channel.</summary>
    Thread,

    /// <summary>A direct message with the bot.</summary>
    DirectMessage,
}

/// <summary>
/// A channel and its ancestry, so permission rules on a channel cover its threads and a rule on a category covers its channels.
/// </summary>
/// <param name="Id">The channel (or thread) id.</param>
/// <param name="Kind">Guild channel, thread or DM.</param>
/// <param name="GuildId">The guild; null in DMs.</param>
/// <param name="ParentChannelId">For a thread: the channel it lives in.</param>
/// <param name="CategoryId">The category of the channel (of the thread's channel for a thread).</param>
public sealed record ChannelInfo(ulong Id, ChannelKind Kind, ulong? GuildId = null, ulong? ParentChannelId = null, ulong? CategoryId = null)
{
    /// <summary>For a thread: the user who created it (the bot, when it opened the thread itself).</summary>
    public ulong? ThreadOwnerId { get; init; }

    /// <summary>The guild and channel names, for the system prompt's {guild} and {channel} placeholders.</summary>
    public string? GuildName { get; init; }

    public string? Name { get; init; }

    /// <summary>This channel, then its parent channel, then its category: the ids a channel rule may name.</summary>
    public IEnumerable<ulong> SelfAndAncestors()
    {
        yield return Id;
        if (ParentChannelId is { } parent)
        {
            yield return parent;
        }

        if (CategoryId is { } category)
        {
            yield return category;
        }
    }
}
