namespace Cordial.Bot.Conversations;

/// <summary>What <see cref="MessageNodeUpdater.ApplyAsync"/> did with an edit.</summary>
public enum NodeEditOutcome
{
    /// <summary>The bot's own message: the store keeps the text the bot wrote.</summary>
    OwnMessage,

    /// <summary>The update carries neither text nor attachments (an embed unfurl, a pin): nothing to apply.</summary>
    NothingToApply,

    /// <summary>The store does not know the message: nothing was read from Discord and nothing stored.</summary>
    Unknown,

    /// <summary>The stored node already says the same.</summary>
    Unchanged,

    /// <summary>The stored node now follows the edit.</summary>
    Updated,

    /// <summary>The update was partial and the full message could not be read (deleted meanwhile): the node is kept.</summary>
    Unreadable,
}
