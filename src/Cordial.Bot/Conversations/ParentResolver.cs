using Cordial.Bot.Messages;

namespace Cordial.Bot.Conversations;

/// <summary>
/// Decides which message a new message continues, the way users of reply-chain bots expect:
/// <list type="bullet">
/// <item>a reply continues the message it replies to (any author's: replying to someone while mentioning the bot pulls it in);</item>
/// <item>in DMs every message continues the previous one, unless it mentions the bot (a fresh start);</item>
/// <item>in threads every message continues the previous one, and the first continues the thread's starter message;</item>
/// <item>elsewhere, a message continues the author's own message written just before it (back-to-back messages chain).</item>
/// </list>
/// Automatic continuation never reaches back past the point where the user ran /reset.
/// </summary>
public sealed class ParentResolver(IMessageNodeStore store, IMessageSource source, ChannelActivity activity)
{
    /// <param name="message">The message whose parent is wanted.</param>
    /// <param name="botUserId">The bot's own user id.</param>
    /// <param name="isLatest">True for a message that just arrived (the channel's activity may be used); false while walking history.</param>
    public async Task<ulong?> ResolveAsync(IncomingMessage message, ulong botUserId, bool isLatest, CancellationToken cancellationToken)
    {
        if (message.ReplyToMessageId is { } replied)
        {
            return replied;
        }

        var channel = message.Channel;
        var mentionsBot = message.MentionedUserIds.Contains(botUserId);
        switch (channel.Kind)
        {
            case ChannelKind.DirectMessage when mentionsBot && message.Author.Id != botUserId:
                return null;
            case ChannelKind.DirectMessage:
            case ChannelKind.Thread:
            {
                var previous = await PreviousAsync(message, isLatest, cancellationToken);
                if (previous is null)
                {
                    // The first message of a thread started from a message continues that message (same id as the thread).
                    return channel.Kind == ChannelKind.Thread && channel.ParentChannelId is not null && channel.Id != message.Id
                        ? await AfterResetAsync(channel.Id, message, channel.Id, cancellationToken)
                        : null;
                }

                return await AfterResetAsync(previous.Value.Id, message, channel.Id, cancellationToken);
            }

            default:
            {
                var previous = await PreviousAsync(message, isLatest, cancellationToken);
                return previous is { } before && before.AuthorId == message.Author.Id
                    ? await AfterResetAsync(before.Id, message, channel.Id, cancellationToken)
                    : null;
            }
        }
    }

    private async Task<RecentMessage?> PreviousAsync(IncomingMessage message, bool isLatest, CancellationToken cancellationToken)
    {
        if (isLatest && activity.TryGetBefore(message.ChannelId, message.Id, out var known))
        {
            if (known is not { } before || before.AuthorId is not null)
            {
                return known;
            }

            // Only the id is known (the channel's last message when the bot connected): a stored node knows its author.
            if (await store.GetAsync(before.Id, cancellationToken) is { } node)
            {
                return new RecentMessage(node.Id, node.AuthorId);
            }
        }

        return await source.GetMessageBeforeAsync(message.Channel, message.Id, cancellationToken) is { } fetched
            ? new RecentMessage(fetched.Id, fetched.Author.Id)
            : null;
    }

    private async Task<ulong?> AfterResetAsync(ulong candidate, IncomingMessage message, ulong channelId, CancellationToken cancellationToken)
    {
        // The user whose reset counts: the human in the conversation (for the bot's own messages, nobody's reset applies).
        var reset = await store.GetResetAsync(channelId, message.Author.Id, cancellationToken);
        return candidate > reset ? candidate : null;
    }
}
