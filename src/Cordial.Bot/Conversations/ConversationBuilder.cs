using Cordial.Bot.Messages;
using Cordial.Bot.Responding;
using Cordial.Bot.Summaries;

namespace Cordial.Bot.Conversations;

/// <summary>
/// Walks a conversation from its newest message back through its parents: from the node store (and its cache)
/// first, from Discord only for messages the store has never seen (which are then stored). Applies the limits of
/// <see cref="ConversationOptions"/> (messages, images, token budget) and says so in warnings. When older turns are cut,
/// a stored summary of them is used in their place, and a newer one is asked of <see cref="ConversationSummarizer"/>.
/// </summary>
/// <remarks>
/// Budgeting adds the token counts stored with each node and summary: nothing is serialized or re-tokenized.
/// <paramref name="summaries"/> and <paramref name="summarizer"/> are optional: without them long conversations are only cut.
/// </remarks>
public sealed class ConversationBuilder(
    IMessageNodeStore store,
    IMessageSource source,
    ParentResolver parents,
    MessageNodeFactory nodes,
    ConversationOptions options,
    ISummaryStore? summaries = null,
    ConversationSummarizer? summarizer = null)
{
    /// <summary>How many messages above the cut are searched for a summary (a newer one may still be in the making).</summary>
    private const int SummaryLookback = 12;

    /// <summary>Builds with the configured <see cref="ConversationOptions.MaxPromptTokens"/> as the only budget and no summary requests.</summary>
    public Task<Conversation> BuildAsync(MessageNode newest, ChannelInfo channel, ulong botUserId, bool vision, CancellationToken cancellationToken) =>
        BuildAsync(newest, channel, botUserId, new ModelChoice("", vision), 0, cancellationToken);

    /// <param name="newest">The node of the triggering message (already stored or not).</param>
    /// <param name="channel">The channel of <paramref name="newest"/>.</param>
    /// <param name="botUserId">The bot's own user id.</param>
    /// <param name="model">The model that will answer: vision, context window and output limit; its name writes summaries.</param>
    /// <param name="systemPromptTokens">Estimated tokens of the system prompt, taken from the budget.</param>
    /// <param name="cancellationToken">Cancels the walk.</param>
    public async Task<Conversation> BuildAsync(
        MessageNode newest, ChannelInfo channel, ulong botUserId, ModelChoice model, int systemPromptTokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(newest);
        ArgumentNullException.ThrowIfNull(model);
        var budget = HistoryBudget(model, systemPromptTokens);
        var chain = new List<MessageNode> { newest }; // newest first until the end
        var costs = new List<int>();
        var warnings = new List<string>();
        var seen = new HashSet<ulong> { newest.Id };
        var imageSlots = model.Vision ? options.MaxImages : 0;
        var used = Cost(newest, ref imageSlots);
        costs.Add(used);
        var current = newest;
        var currentChannel = channel;
        ulong? cut = null; // the newest message left out
        var cutByCount = false;
        var counted = 1; // messages toward MaxMessages: the bot's empty note nodes do not count

        while (current.ParentId is { } parentId)
        {
            if (counted >= options.MaxMessages)
            {
                (cut, cutByCount) = (parentId, true);
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
                if (!IsThreadStarter(parentId, currentChannel))
                {
                    // A thread's starter is only presumed (a thread may have been started without one): its absence is no loss.
                    warnings.Add("Part of this conversation could not be read (a message was deleted or is out of reach).");
                }

                break;
            }

            var slots = imageSlots;
            var cost = Cost(parent, ref slots);
            if (used + cost > budget)
            {
                cut = parentId;
                break;
            }

            imageSlots = slots;
            used += cost;
            costs.Add(cost);
            chain.Add(parent);
            counted += parent.Text.Length > 0 || parent.ImageUrls.Count > 0 ? 1 : 0;
            current = parent;
            currentChannel = parentChannel;
        }

        ConversationSummary? summary = null;
        if (cut is { } cutId)
        {
            if (options.Summaries && summaries is not null)
            {
                summary = await FindSummaryAsync(cutId, cancellationToken);
                while (summary is not null && used + summary.TokenCount > budget && chain.Count > 1)
                {
                    // Room for the summary: the oldest kept messages go (never the newest).
                    used -= costs[^1];
                    cutId = chain[^1].Id;
                    costs.RemoveAt(costs.Count - 1);
                    chain.RemoveAt(chain.Count - 1);
                }

                if (summary is not null && used + summary.TokenCount > budget)
                {
                    summary = null;
                }

                if (summary?.TailId != cutId && summarizer is not null && model.Name.Length > 0)
                {
                    summarizer.Request(cutId, model, channel.GuildId);
                }
            }

            if (summary is not null)
            {
                used += summary.TokenCount;
                warnings.Add("Older messages of this conversation were replaced by a summary.");
                if (summary.TailId != cutId)
                {
                    warnings.Add("Some older messages were left out to fit the model's context.");
                }
            }
            else
            {
                warnings.Add(cutByCount
                    ? $"Only the last {options.MaxMessages} messages of this conversation are used."
                    : "Older messages of this conversation were left out to fit the model's context.");
            }
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
                if (model.Vision && images.Count < options.MaxImages)
                {
                    images.Add(url);
                }
            }
        }

        if (totalImages > 0 && !model.Vision)
        {
            warnings.Add("This model cannot see images; they were left out.");
        }
        else if (totalImages > images.Count)
        {
            warnings.Add($"Only the newest {options.MaxImages} images are used.");
        }

        return new Conversation(chain, warnings.Distinct(StringComparer.Ordinal).ToList())
        {
            Images = images,
            Summary = summary,
            TokenCount = used,
        };
    }

    /// <summary>
    /// Tokens the history may use: <see cref="ConversationOptions.MaxPromptTokens"/>, or less when the model's context
    /// window minus room for its answer is smaller, minus the system prompt.
    /// </summary>
    internal int HistoryBudget(ModelChoice model, int systemPromptTokens)
    {
        long limit = options.MaxPromptTokens;
        if (model.ContextWindowTokens is { } window)
        {
            limit = Math.Min(limit, (long)window - (model.MaxOutputTokens ?? options.AnswerTokens));
        }

        return (int)Math.Max(0, limit - Math.Max(0, systemPromptTokens));
    }

    /// <summary>A node's tokens plus the images it brings, while image slots remain (newest first).</summary>
    private int Cost(MessageNode node, ref int imageSlots)
    {
        var images = Math.Min(node.ImageUrls.Count, imageSlots);
        imageSlots -= images;
        return node.Tokens + (images * options.ImageTokens);
    }

    /// <summary>The summary ending at <paramref name="cutId"/>, else the nearest one above it (store only, no REST).</summary>
    private async Task<ConversationSummary?> FindSummaryAsync(ulong cutId, CancellationToken cancellationToken)
    {
        ulong? id = cutId;
        for (var i = 0; i < SummaryLookback && id is { } current; i++)
        {
            if (await summaries!.GetAsync(current, cancellationToken) is { } found)
            {
                return found;
            }

            id = (await store.GetAsync(current, cancellationToken))?.ParentId;
        }

        return null;
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

    private static bool IsThreadStarter(ulong messageId, ChannelInfo channel) =>
        channel.Kind == ChannelKind.Thread && messageId == channel.Id;

    /// <summary>A thread's starter message has the thread's id and lives in the thread's parent channel.</summary>
    private static ChannelInfo ChannelOf(ulong messageId, ChannelInfo channel) =>
        IsThreadStarter(messageId, channel) && channel.ParentChannelId is { } parent
            ? new ChannelInfo(parent, ChannelKind.GuildText, channel.GuildId, null, channel.CategoryId)
            : channel;
}
