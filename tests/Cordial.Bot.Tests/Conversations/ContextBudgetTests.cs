using Cordial.Bot.Conversations;
using Cordial.Bot.Messages;
using Cordial.Bot.Prompting;
using Cordial.Bot.Responding;
using Cordial.Bot.Summaries;
using Cordial.Bot.Tests.Responding;
using Cordial.Bot.Tests.Summaries;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using static Cordial.Bot.Tests.Conversations.FakeDiscordHistory;

namespace Cordial.Bot.Tests.Conversations;

/// <summary>Trimming a conversation to a token budget, and summaries of what was cut.</summary>
public sealed class ContextBudgetTests : IAsyncDisposable
{
    private const string Model = "sim-small";

    private readonly FakeDiscordHistory _discord = new();
    private readonly InMemoryMessageNodeStore _store = new();
    private readonly InMemorySummaryStore _summaries = new();
    private readonly ChannelActivity _activity = new();
    private readonly ScriptedChatClient _chat = new();
    private readonly ConversationOptions _options = new() { MaxPromptTokens = 1_100, MaxMessages = 100 };
    private readonly ParentResolver _parents;
    private readonly MessageNodeFactory _factory;
    private readonly ConversationSummarizer _summarizer;
    private readonly ConversationBuilder _builder;
    private readonly TaskCompletionSource _releaseSummaries = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ContextBudgetTests()
    {
        _parents = new ParentResolver(_store, _discord, _activity);
        _factory = new MessageNodeFactory(_discord, _options);
        _summarizer = new ConversationSummarizer(_store, _summaries, _chat, _options, TimeProvider.System, NullLogger<ConversationSummarizer>.Instance);
        _builder = new ConversationBuilder(_store, _discord, _parents, _factory, _options, _summaries, _summarizer);
        _chat.Respond = (messages, _, ct) => SummaryAsync(messages, ct);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ModelChoice Choice => new(Model, Vision: true);

    public ValueTask DisposeAsync() => _summarizer.DisposeAsync();

    /// <summary>Answers summary requests with "SUMMARY of N messages" once released.</summary>
    private async IAsyncEnumerable<ChatResponseUpdate> SummaryAsync(IReadOnlyList<ChatMessage> messages, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        Assert.StartsWith("You summarize", messages[0].Text, StringComparison.Ordinal);
        await _releaseSummaries.Task.WaitAsync(ct);
        var turns = messages[^1].Text.Split("\n\n").Count(part => part.StartsWith("user", StringComparison.Ordinal) || part.StartsWith("Assistant", StringComparison.Ordinal));
        yield return new ChatResponseUpdate(ChatRole.Assistant, $"SUMMARY of {turns} messages");
    }

    private List<ChatMessage> SummaryCalls()
    {
        lock (_chat.Calls)
        {
            return [.. _chat.Calls.Select(c => c.Messages[^1])];
        }
    }

    /// <summary>A DM conversation of <paramref name="count"/> messages of about 100 tokens each, alternating user and bot.</summary>
    private async Task<List<MessageNode>> ConversationAsync(int count, ChannelInfo? channel = null, MessageNode? after = null)
    {
        var nodes = new List<MessageNode>();
        var parent = after;
        for (var i = 0; i < count; i++)
        {
            var author = i % 2 == 0 ? 1UL : BotId;
            var message = _discord.Say(channel ?? Dm, author, $"m{i} " + string.Join(' ', Enumerable.Repeat("word", 99)));
            var node = await _factory.CreateAsync(message, BotId, parent?.Id, Ct);
            await _store.PutAsync([node], Ct);
            nodes.Add(node);
            parent = node;
        }

        return nodes;
    }

    private static int NewestThatFit(IReadOnlyList<MessageNode> chain, int budget)
    {
        var used = 0;
        var kept = 0;
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            if (kept > 0 && used + chain[i].Tokens > budget)
            {
                break;
            }

            used += chain[i].Tokens;
            kept++;
        }

        return kept;
    }

    [Theory]
    [InlineData(nameof(ConversationOptions.MaxPromptTokens), 100)]
    [InlineData(nameof(ConversationOptions.AnswerTokens), -1)]
    [InlineData(nameof(ConversationOptions.ImageTokens), -1)]
    [InlineData(nameof(ConversationOptions.SummaryMaxTokens), 10)]
    [InlineData(nameof(ConversationOptions.SummaryQueueCapacity), 0)]
    public void A_bad_budget_setting_is_named(string setting, int value)
    {
        var options = new ConversationOptions();
        typeof(ConversationOptions).GetProperty(setting)!.SetValue(options, value);

        var problem = Assert.Single(options.Validate());
        Assert.StartsWith($"Bot:Conversations:{setting} ", problem, StringComparison.Ordinal);
        Assert.Empty(new ConversationOptions().Validate());
    }

    [Fact]
    public async Task Token_counts_are_computed_once_when_a_node_is_made()
    {
        var node = (await ConversationAsync(1))[0];

        Assert.Equal(TokenEstimator.Estimate(node.Text), node.TokenCount);
        Assert.InRange(node.TokenCount, 90, 110);
    }

    [Fact]
    public async Task The_history_is_cut_from_the_oldest_end_to_fit_and_the_user_is_told()
    {
        _options.Summaries = false;
        var chain = await ConversationAsync(16);

        var conversation = await _builder.BuildAsync(chain[^1], Dm, BotId, Choice, 0, Ct);

        var kept = NewestThatFit(chain, _options.MaxPromptTokens);
        Assert.InRange(kept, 2, 15);
        Assert.Equal(chain.TakeLast(kept).Select(n => n.Id), conversation.Nodes.Select(n => n.Id));
        Assert.Equal(conversation.Nodes.Sum(n => n.TokenCount), conversation.TokenCount);
        Assert.True(conversation.TokenCount <= _options.MaxPromptTokens);
        Assert.Contains("Older messages of this conversation were left out to fit the model's context.", conversation.Warnings);
        Assert.Null(conversation.Summary);
    }

    [Fact]
    public async Task A_conversation_within_the_budget_is_whole_and_silent()
    {
        var chain = await ConversationAsync(4);

        var conversation = await _builder.BuildAsync(chain[^1], Dm, BotId, Choice, 0, Ct);

        Assert.Equal(chain.Select(n => n.Id), conversation.Nodes.Select(n => n.Id));
        Assert.Empty(conversation.Warnings);
        Assert.Equal(0, _summarizer.Pending + SummaryCalls().Count);
    }

    [Fact]
    public async Task The_newest_message_always_stays_even_when_it_alone_is_over_budget()
    {
        _options.Summaries = false;
        var chain = await ConversationAsync(3);
        var huge = await _factory.CreateAsync(_discord.Say(Dm, 1, string.Join(' ', Enumerable.Repeat("word", 2_000))), BotId, chain[^1].Id, Ct);

        var conversation = await _builder.BuildAsync(huge, Dm, BotId, Choice, 0, Ct);

        Assert.Equal([huge.Id], conversation.Nodes.Select(n => n.Id));
        Assert.NotEmpty(conversation.Warnings);
    }

    [Fact]
    public async Task The_system_prompt_and_a_models_context_window_less_its_answer_shrink_the_budget()
    {
        _options.Summaries = false;
        _options.MaxPromptTokens = 16_000;
        var chain = await ConversationAsync(16);
        var small = new ModelChoice(Model, false, ContextWindowTokens: 900, MaxOutputTokens: 300);

        Assert.Equal(16_000 - 100, _builder.HistoryBudget(Choice, 100));
        Assert.Equal(900 - 300 - 100, _builder.HistoryBudget(small, 100));
        Assert.Equal(3_000 - _options.AnswerTokens, _builder.HistoryBudget(small with { ContextWindowTokens = 3_000, MaxOutputTokens = null }, 0));
        Assert.Equal(0, _builder.HistoryBudget(small with { MaxOutputTokens = 2_000 }, 0));
        Assert.Equal(16_000, _builder.HistoryBudget(small with { ContextWindowTokens = 1_000_000 }, 0)); // a cap, never raised

        var whole = await _builder.BuildAsync(chain[^1], Dm, BotId, Choice, 100, Ct);
        var cut = await _builder.BuildAsync(chain[^1], Dm, BotId, small, 100, Ct);

        Assert.Equal(16, whole.Nodes.Count);
        Assert.Equal(NewestThatFit(chain, 500), cut.Nodes.Count);
    }

    [Fact]
    public async Task Images_sent_to_a_vision_model_count_against_the_budget()
    {
        _options.Summaries = false;
        _options.ImageTokens = 800;
        var chain = await ConversationAsync(4);
        var picture = new IncomingAttachment("p.png", "image/png", 10, "https://cdn/p.png");
        var newest = await _factory.CreateAsync(_discord.Say(Dm, 1, "look", attachments: [picture]), BotId, chain[^1].Id, Ct);
        await _store.PutAsync([newest], Ct);

        var blind = await _builder.BuildAsync(newest, Dm, BotId, Choice with { Vision = false }, 0, Ct);
        var seeing = await _builder.BuildAsync(newest, Dm, BotId, Choice, 0, Ct);

        Assert.Equal(5, blind.Nodes.Count);
        Assert.Equal(seeing.Nodes.Sum(n => n.TokenCount) + 800, seeing.TokenCount);
        Assert.True(seeing.Nodes.Count < blind.Nodes.Count);
        Assert.Equal(["https://cdn/p.png"], seeing.Images);
    }

    [Fact]
    public async Task A_cut_conversation_asks_once_for_a_summary_which_the_next_build_uses_instead_of_the_old_turns()
    {
        var chain = await ConversationAsync(16);
        var kept = NewestThatFit(chain, _options.MaxPromptTokens);
        var cutNode = chain[^(kept + 1)];

        // Two answers while the summary is being made: one request only.
        var first = await _builder.BuildAsync(chain[^1], Dm, BotId, Choice, 0, Ct);
        await Eventually.UntilAsync(() => SummaryCalls().Count == 1, "the summary request");
        var second = await _builder.BuildAsync(chain[^1], Dm, BotId, Choice, 0, Ct);
        Assert.Equal(1, _summarizer.Pending);
        Assert.Null(first.Summary);
        Assert.Null(second.Summary);
        Assert.Contains("Older messages of this conversation were left out to fit the model's context.", first.Warnings);

        _releaseSummaries.SetResult();
        await Eventually.UntilAsync(() => _summaries.Summaries.ContainsKey(cutNode.Id), "the summary to be stored");
        Assert.Single(SummaryCalls());
        var request = SummaryCalls()[0].Text;
        Assert.Contains(chain[0].Text, request, StringComparison.Ordinal);
        Assert.Contains(cutNode.Text, request, StringComparison.Ordinal);
        Assert.DoesNotContain(chain[^1].Text, request, StringComparison.Ordinal);
        var stored = _summaries.Summaries[cutNode.Id];
        Assert.Equal($"SUMMARY of {16 - kept} messages", stored.Text);
        Assert.Equal(TokenEstimator.Estimate(stored.Text), stored.TokenCount);

        var third = await _builder.BuildAsync(chain[^1], Dm, BotId, Choice, 0, Ct);
        Assert.Equal(stored, third.Summary);
        Assert.Equal(chain.TakeLast(kept).Select(n => n.Id), third.Nodes.Select(n => n.Id));
        Assert.Equal(third.Nodes.Sum(n => n.TokenCount) + stored.TokenCount, third.TokenCount);
        Assert.Contains("Older messages of this conversation were replaced by a summary.", third.Warnings);
        Assert.DoesNotContain(third.Warnings, w => w.Contains("left out", StringComparison.Ordinal));
        Assert.Equal(0, _summarizer.Pending);
        Assert.Single(SummaryCalls());

        var prompt = new PromptBuilder(new PromptOptions(), TimeProvider.System).Build(third, new PromptContext(Dm, "user1"));
        Assert.Equal([ChatRole.System, ChatRole.System], prompt.Take(2).Select(m => m.Role));
        Assert.Equal(PromptBuilder.SummaryPrefix + stored.Text, prompt[1].Text);
        Assert.DoesNotContain(prompt, m => m.Text.Contains(chain[0].Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_branch_continuing_below_a_summarized_message_reuses_its_summary()
    {
        _releaseSummaries.SetResult();
        var chain = await ConversationAsync(16);
        await _builder.BuildAsync(chain[^1], Dm, BotId, Choice, 0, Ct);
        await Eventually.UntilAsync(() => !_summaries.Summaries.IsEmpty && _summarizer.Pending == 0, "the summary");
        var summary = Assert.Single(_summaries.Summaries.Values);
        var tail = chain.Single(n => n.Id == summary.TailId);

        // Another branch from the message right below the summarized one, as long as the first.
        var below = chain[chain.IndexOf(tail) + 1];
        var branch = await ConversationAsync(chain.Count - chain.IndexOf(below) - 1, after: below);
        var conversation = await _builder.BuildAsync(branch[^1], Dm, BotId, Choice, 0, Ct);

        Assert.Equal(summary, conversation.Summary);
        Assert.Equal(below.Id, conversation.Nodes[0].Id);
        Assert.Equal(branch[^1].Id, conversation.Nodes[^1].Id);
        Assert.Single(SummaryCalls());
    }

    [Fact]
    public async Task While_a_newer_summary_is_made_the_nearest_older_one_is_used_and_the_new_one_builds_on_it()
    {
        var chain = await ConversationAsync(20);
        var kept = NewestThatFit(chain, _options.MaxPromptTokens);
        var cutNode = chain[^(kept + 1)];
        var older = chain[2];
        var earlier = new ConversationSummary(older.Id, "EARLIER-SUMMARY", 3, Model, DateTimeOffset.UnixEpoch);
        await _summaries.PutAsync(earlier, Ct);

        var conversation = await _builder.BuildAsync(chain[^1], Dm, BotId, Choice, 0, Ct);

        Assert.Equal(earlier, conversation.Summary);
        Assert.Contains("Some older messages were left out to fit the model's context.", conversation.Warnings);
        _releaseSummaries.SetResult();
        await Eventually.UntilAsync(() => _summaries.Summaries.ContainsKey(cutNode.Id), "the newer summary");
        var request = Assert.Single(SummaryCalls()).Text;
        Assert.Contains("(Summary of what came before: EARLIER-SUMMARY)", request, StringComparison.Ordinal);
        Assert.DoesNotContain(chain[2].Text, request, StringComparison.Ordinal);
        Assert.Contains(chain[3].Text, request, StringComparison.Ordinal);
        Assert.Contains(cutNode.Text, request, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_count_cut_is_summarized_too()
    {
        _options.MaxPromptTokens = 16_000;
        _options.MaxMessages = 4;
        _releaseSummaries.SetResult();
        var chain = await ConversationAsync(7);

        var first = await _builder.BuildAsync(chain[^1], Dm, BotId, Choice, 0, Ct);
        await Eventually.UntilAsync(() => _summaries.Summaries.ContainsKey(chain[2].Id), "the summary");
        var second = await _builder.BuildAsync(chain[^1], Dm, BotId, Choice, 0, Ct);

        Assert.Contains("Only the last 4 messages of this conversation are used.", first.Warnings);
        Assert.Equal(chain.TakeLast(4).Select(n => n.Id), second.Nodes.Select(n => n.Id));
        Assert.Equal("SUMMARY of 3 messages", second.Summary?.Text);
    }

    [Fact]
    public async Task With_summaries_off_nothing_is_asked_and_stored_summaries_are_not_used()
    {
        _options.Summaries = false;
        var chain = await ConversationAsync(16);
        var cutNode = chain[^(NewestThatFit(chain, _options.MaxPromptTokens) + 1)];
        await _summaries.PutAsync(new ConversationSummary(cutNode.Id, "UNUSED", 2, Model, DateTimeOffset.UnixEpoch), Ct);

        var conversation = await _builder.BuildAsync(chain[^1], Dm, BotId, Choice, 0, Ct);

        Assert.Null(conversation.Summary);
        Assert.Equal(0, _summarizer.Pending);
        Assert.False(_summarizer.Request(cutNode.Id, Choice, null));
        Assert.Empty(SummaryCalls());
    }
}
