using Cordial.Bot.Messages;

namespace Cordial.Bot.Conversations;

/// <summary>
/// Walks a conversation from its newest message back through its parents: from the node store (and its cache)
/// first, from Discord only for messages the store has never seen (which are then stored). Applies the limits of
/// <see cref="ConversationOptions"/> and says so in warnings.
/// </summary>
public sealed class ConversationBuilder(
    IMessageNodeStore store,
    IMessageSource source,
    ParentResolver parents,
    MessageNodeFactory nodes,
    ConversationOptions options)
{
    /// <param name="newest">The node of the triggering message (already stored or not).</param>
    /// <param name="channel">The channel of <paramref name="newest"/>.</param>
    /// <param name="botUserId">The bot's own user id.</param>
    /// <param name="vision">Whether the model that will answer accepts images.</param>
    /// <param name="cancellationToken">Cancels the walk.</param>
    public async Task<Conversation> BuildAsync(MessageNode newest, ChannelInfo channel, ulong botUserId, bool vision, CancellationToken cancellationToken)
    {
        var chain = new List<MessageNode> { newest };
        var warnings = new List<string>();
        var seen = new HashSet<ulong> { newest.Id };
        var current = newest;
        var currentChannel = channel;

        while (current.ParentId is { } parentId)
        {
            if (chain.Count >= options.MaxMessages)
            {
                warnings.Add($"Only the last {options.MaxMessages} messages of this conversation are used.");
                break;
            }

            if (!seen.Add(parentId))
            {
                break; // a cycle can only come from corrupt data: stop rather than loop
            }

            var parentChannel = ChannelOf(parentId, currentChannel);
            var parent = await store.GetAsync(parentId, cancellationToken)
                ?? await FetchAsync(parentId, parentChannel, botUserId, cancellationToken);
            if (parent is null)
            {
                warnings.Add("Part of this conversation could not be read (a message was deleted or is out of reach).");
                break;
            }

            chain.Add(parent);
            current = parent;
            currentChannel = parentChannel;
        }

        chain.Reverse();
        foreach (var node in chain)
        {
            warnings.AddRange(node.Warnings);
        }

        var images = new List<string>();
        var totalImages = 0;
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            foreach (var url in chain[i].ImageUrls)
            {
                totalImages++;
                if (vision && images.Count < options.MaxImages)
                {
                    images.Add(url);
                }
            }
        }

        if (totalImages > 0 && !vision)
        {
            warnings.Add("This model cannot see images; they were left out.");
        }
        else if (totalImages > images.Count)
        {
            warnings.Add($"Only the newest {options.MaxImages} images are used.");
        }

        return new Conversation(chain, warnings.Distinct(StringComparer.Ordinal).ToList()) { Images = images };
    }

    private async Task<MessageNode?> FetchAsync(ulong messageId, ChannelInfo channel, ulong botUserId, CancellationToken cancellationToken)
    {
        var message = await source.GetMessageAsync(channel, messageId, cancellationToken);
        if (message is null)
        {
            return null;
        }

        var parentId = await parents.ResolveAsync(message, botUserId, isLatest: false, cancellationToken);
        var node = await nodes.CreateAsync(message, botUserId, parentId, cancellationToken);
        await store.PutAsync([node], cancellationToken);
        return node;
    }

    /// <summary>A thread's starter message has the thread's id and lives in the thread's parent channel.</summary>
    private static ChannelInfo ChannelOf(ulong messageId, ChannelInfo channel) =>
        channel.Kind == ChannelKind.Thread && messageId == channel.Id && channel.ParentChannelId is { } parent
            ? new ChannelInfo(parent, ChannelKind.GuildText, channel.GuildId, null, channel.CategoryId)
            : channel;
}
