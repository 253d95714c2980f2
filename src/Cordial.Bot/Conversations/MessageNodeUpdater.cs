using Cordial.Bot.Messages;
using Microsoft.Extensions.Logging;

namespace Cordial.Bot.Conversations;

/// <summary>
/// Keeps stored conversation nodes in step with message edits, so a later reply in the chain sees the edited text
/// (and attachments). An edit of a message the store does not know costs one store lookup and nothing else; the bot's
/// own messages are never rebuilt from Discord (the store keeps the final text the bot wrote).
/// </summary>
/// <remarks>
/// Thread-safe. A partial update (text without attachments, or the reverse) is applied directly when the stored node has
/// no attachment material to keep; otherwise the full message is read once from <see cref="IMessageSource"/>, because the
/// stored text has attachments inlined and cannot be taken apart.
/// </remarks>
public sealed partial class MessageNodeUpdater(IMessageNodeStore store, MessageNodeFactory nodes, IMessageSource source, ILogger<MessageNodeUpdater> logger)
{
    /// <summary>Applies an edit to the stored node of the message, if there is one.</summary>
    public async Task<NodeEditOutcome> ApplyAsync(EditedMessage edit, ulong botUserId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(edit);
        if (edit.AuthorId == botUserId)
        {
            return NodeEditOutcome.OwnMessage;
        }

        // Empty text and no attachments cannot be a user's edit (Discord refuses an empty message): it is text the bot
        // may not read (no MESSAGE_CONTENT intent), so it must not wipe what is stored.
        var attachments = edit.Attachments;
        if ((edit.Content is null && attachments is null) || (edit.Content is "" && attachments is null or { Count: 0 }))
        {
            return NodeEditOutcome.NothingToApply;
        }

        var node = await store.GetAsync(edit.Id, cancellationToken);
        if (node is null)
        {
            return NodeEditOutcome.Unknown;
        }

        if (node.Role == NodeRole.Assistant || node.AuthorId == botUserId)
        {
            return NodeEditOutcome.OwnMessage;
        }

        var channel = new ChannelInfo(node.ChannelId, node.GuildId is null ? ChannelKind.DirectMessage : ChannelKind.GuildText, node.GuildId);
        string content;
        IReadOnlyList<IncomingAttachment> files;
        if (edit.Content is { } text && (attachments is not null || !HasAttachmentMaterial(node)))
        {
            content = text;
            files = attachments ?? [];
        }
        else if (edit.Content is null && attachments is { Count: 0 } && !HasAttachmentMaterial(node))
        {
            return NodeEditOutcome.Unchanged; // no attachments before or after, and the text is not in the update
        }
        else
        {
            Log.ReadingFull(logger, edit.Id);
            var full = await source.GetMessageAsync(channel, edit.Id, cancellationToken);
            if (full is null)
            {
                return NodeEditOutcome.Unreadable;
            }

            content = edit.Content ?? full.Content;
            files = attachments ?? full.Attachments;
        }

        var message = new IncomingMessage
        {
            Id = node.Id,
            ChannelId = node.ChannelId,
            Channel = channel,
            Author = new MessageAuthor(node.AuthorId, node.AuthorName, IsBot: false),
            Timestamp = node.CreatedAt,
            Content = content,
            Attachments = files,
        };
        var rebuilt = await nodes.CreateAsync(message, botUserId, node.ParentId, cancellationToken);
        rebuilt = rebuilt with { GuildId = node.GuildId, Model = node.Model };
        if (rebuilt.Text == node.Text && rebuilt.ImageUrls.SequenceEqual(node.ImageUrls, StringComparer.Ordinal)
            && rebuilt.Warnings.SequenceEqual(node.Warnings, StringComparer.Ordinal))
        {
            return NodeEditOutcome.Unchanged;
        }

        await store.PutAsync([rebuilt], cancellationToken);
        Log.Updated(logger, edit.Id);
        return NodeEditOutcome.Updated;
    }

    /// <summary>Whether the node's text or lists hold anything that came from attachments (or may have).</summary>
    private static bool HasAttachmentMaterial(MessageNode node) =>
        node.ImageUrls.Count > 0 || node.Warnings.Count > 0 || node.Text.Contains("Attached file ", StringComparison.Ordinal);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Stored message {MessageId} follows its edit")]
        public static partial void Updated(ILogger logger, ulong messageId);

        [LoggerMessage(2, LogLevel.Debug, "Partial edit of stored message {MessageId}: reading the whole message")]
        public static partial void ReadingFull(ILogger logger, ulong messageId);
    }
}
