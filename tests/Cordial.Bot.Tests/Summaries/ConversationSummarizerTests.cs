using Cordial.Bot.Collections;
using Cordial.Bot.Conversations;
using Cordial.Bot.Responding;
using Cordial.Bot.Summaries;
using Cordial.Bot.Tests.Conversations;
using Cordial.Bot.Tests.Responding;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cordial.Bot.Tests.Summaries;

public sealed class ConversationSummarizerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private readonly InMemoryMessageNodeStore _nodes = new();
    private readonly InMemorySummaryStore _summaries = new();
    private readonly ScriptedChatClient _chat = new();
    private readonly ManualTimeProvider _time = new(T0);

    private static readonly ModelChoice Small = new("sim-small", false);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ConversationSummarizer Create(ConversationOptions? options = null) =>
        new(_nodes, _summaries, _chat, options ?? new ConversationOptions(), _time, NullLogger<ConversationSummarizer>.Instance);

    private async Task StoreChainAsync(params ulong[] ids)
    {
        ulong? parent = null;
        foreach (var id in ids)
        {
            var text = $"message {id}";
            await _nodes.PutAsync([new MessageNode
            {
                Id = id, ChannelId = 1, AuthorId = id % 2 == 0 ? 7UL : 8UL, AuthorName = "ana", Role = id % 2 == 0 ? NodeRole.User : NodeRole.Assistant,
                Text = text, TokenCount = TokenEstimator.Estimate(text), ParentId = parent, CreatedAt = T0,
            }], Ct);
            parent = id;
        }
    }

    [Fact]
    public async Task A_summary_is_asked_with_the_channels_model_a_bounded_length_and_the_guild_then_stored()
    {
        await using var summarizer = Create(new ConversationOptions { SummaryMaxTokens = 120 });
        await StoreChainAsync(2, 3, 4);
        _chat.Respond = (_, _, ct) => ScriptedChatClient.Words("Ana asked things.", ct);

        Assert.True(summarizer.Request(4, new ModelChoice("sim-large", false), guildId: 55));
        await Eventually.UntilAsync(() => summarizer.Made == 1, "the summary");

        var (messages, options) = Assert.Single(_chat.Calls);
        Assert.Equal("sim-large", options!.ModelId);
        Assert.Equal(120, options.MaxOutputTokens);
        Assert.Equal(55UL, options.AdditionalProperties![Cordial.Bot.Responding.MessageResponder.GuildIdProperty]);
        Assert.Equal([ChatRole.System, ChatRole.User], messages.Select(m => m.Role));
        Assert.Contains("at most 90 words", messages[0].Text, StringComparison.Ordinal);
        Assert.Equal("Summarize this conversation:\n\nana: message 2\n\nAssistant: message 3\n\nana: message 4", messages[1].Text);
        var stored = _summaries.Summaries[4];
        Assert.Equal((4UL, "Ana asked things.", "sim-large", T0), (stored.TailId, stored.Text, stored.Model, stored.CreatedAt));
        Assert.Equal(0, summarizer.Pending);
    }

    [Fact]
    public async Task A_small_context_window_limits_what_is_sent_to_the_newest_turns()
    {
        await using var summarizer = Create(new ConversationOptions { SummaryMaxTokens = 400 });
        ulong? parent = null;
        for (ulong id = 10; id < 30; id++)
        {
            var text = $"turn{id} " + string.Join(' ', Enumerable.Repeat("word", 99));
            await _nodes.PutAsync([new MessageNode
            {
                Id = id, ChannelId = 1, AuthorId = 7, AuthorName = "ana", Role = NodeRole.User, Text = text,
                TokenCount = TokenEstimator.Estimate(text), ParentId = parent, CreatedAt = T0,
            }], Ct);
            parent = id;
        }

        _chat.Respond = (_, _, ct) => ScriptedChatClient.Words("short", ct);
        Assert.True(summarizer.Request(29, Small with { ContextWindowTokens = 1_200 }, null));
        Assert.True(summarizer.Request(28, Small, null));
        await Eventually.UntilAsync(() => summarizer.Made == 2, "both summaries");

        int[] Sent(int call) => [.. Enumerable.Range(10, 20).Where(id => _chat.Calls[call].Messages[1].Text.Contains($"turn{id} ", StringComparison.Ordinal))];
        var windowed = Sent(0);
        var whole = Sent(1);
        Assert.Equal(Enumerable.Range(10, 19), whole);
        Assert.InRange(windowed.Length, 1, 8);
        Assert.Equal(Enumerable.Range(30 - windowed.Length, windowed.Length), windowed);
    }

    [Fact]
    public async Task A_failure_is_counted_not_thrown_pauses_requests_for_a_minute_and_the_tail_can_be_asked_again()
    {
        await using var summarizer = Create();
        await StoreChainAsync(2, 3);
        var fail = true;
        _chat.Respond = (_, _, ct) => fail ? throw new HttpRequestException("provider down") : ScriptedChatClient.Words("A summary.", ct);

        Assert.True(summarizer.Request(3, Small, null));
        await Eventually.UntilAsync(() => summarizer.Failed == 1 && summarizer.Pending == 0, "the failure");
        Assert.Empty(_summaries.Summaries);
        Assert.False(summarizer.Request(3, Small, null)); // paused

        fail = false;
        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.True(summarizer.Request(3, Small, null));
        await Eventually.UntilAsync(() => _summaries.Summaries.ContainsKey(3), "the retried summary");
        Assert.Equal("A summary.", _summaries.Summaries[3].Text);
    }

    [Fact]
    public async Task An_empty_answer_is_a_failure_not_a_summary()
    {
        await using var summarizer = Create();
        await StoreChainAsync(2);
        _chat.Respond = (_, _, ct) => ScriptedChatClient.Words("  ", ct);

        Assert.True(summarizer.Request(2, Small, null));
        await Eventually.UntilAsync(() => summarizer.Failed == 1, "the failure");
        Assert.Empty(_summaries.Summaries);
    }

    [Fact]
    public async Task The_queue_is_bounded_and_a_tail_is_pending_once()
    {
        await using var summarizer = Create(new ConversationOptions { SummaryQueueCapacity = 1 });
        await StoreChainAsync(2, 3, 4, 5);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _chat.Respond = (_, _, ct) => Gated(release.Task, ct);

        Assert.True(summarizer.Request(2, Small, null));
        await Eventually.UntilAsync(() => _chat.Calls.Count == 1, "the first summary to start");
        Assert.False(summarizer.Request(2, Small, null)); // in flight
        Assert.True(summarizer.Request(3, Small, null)); // queued
        Assert.False(summarizer.Request(3, Small, null)); // already queued
        Assert.False(summarizer.Request(4, Small, null)); // queue full
        Assert.Equal(2, summarizer.Pending);

        release.SetResult();
        await Eventually.UntilAsync(() => summarizer.Made == 2 && summarizer.Pending == 0, "both summaries");
        Assert.Equal([2UL, 3UL], _summaries.Summaries.Keys.Order());
    }

    [Fact]
    public async Task A_tail_that_already_has_a_summary_or_is_gone_costs_no_request()
    {
        await using var summarizer = Create();
        await StoreChainAsync(2);
        await _summaries.PutAsync(new ConversationSummary(2, "done", 1, "m", T0), Ct);

        Assert.True(summarizer.Request(2, Small, null));
        Assert.True(summarizer.Request(99, Small, null));
        await Eventually.UntilAsync(() => summarizer.Pending == 0, "both jobs");

        Assert.Empty(_chat.Calls);
        Assert.Equal(0, summarizer.Failed);
    }

    [Fact]
    public async Task Disposing_stops_the_worker_and_later_requests_are_refused()
    {
        var summarizer = Create();
        await StoreChainAsync(2);
        _chat.Respond = (_, _, ct) => ScriptedChatClient.Hang(ct);
        Assert.True(summarizer.Request(2, Small, null));
        await Eventually.UntilAsync(() => _chat.Calls.Count == 1, "the summary to start");

        await summarizer.DisposeAsync();

        Assert.False(summarizer.Request(3, Small, null));
        Assert.Equal(0, summarizer.Made);
    }

    [Fact]
    public async Task The_cache_remembers_summaries_and_misses()
    {
        var cached = new CachedSummaryStore(_summaries, maxBytes: 10_000);
        Assert.Null(await cached.GetAsync(1, Ct));
        Assert.Null(await cached.GetAsync(1, Ct));
        Assert.Equal(1, _summaries.Gets);

        var summary = new ConversationSummary(1, "text", 1, "m", T0);
        await cached.PutAsync(summary, Ct);

        Assert.Equal(summary, await cached.GetAsync(1, Ct));
        Assert.Equal(summary, _summaries.Summaries[1]);
        Assert.Equal(1, _summaries.Gets);
    }

    [Fact]
    public async Task The_cache_is_bounded_by_the_bytes_of_its_summaries_and_misses()
    {
        var cached = new CachedSummaryStore(_summaries, maxBytes: 64 * 1024);
        var text = new string('s', 1_600); // a summary of about 400 tokens
        for (var tail = 1UL; tail <= 100; tail++)
        {
            await cached.PutAsync(new ConversationSummary(tail, text, 400, "m", T0), Ct);
        }

        var perSummary = CachedSummaryStore.SizeOf(new ConversationSummary(1, text, 400, "m", T0));
        Assert.InRange(perSummary, 3_300, 3_500);
        Assert.Equal((int)(64 * 1024 / perSummary), cached.CachedEntries);
        Assert.Equal(100UL, (await cached.GetAsync(100, Ct))!.TailId); // the newest stayed

        for (var tail = 1_000UL; tail < 1_700; tail++)
        {
            Assert.Null(await cached.GetAsync(tail, Ct)); // misses weigh only their entry
        }

        Assert.InRange(cached.CachedBytes, 64 * 1024 - perSummary, 64 * 1024);
        Assert.Equal((long)MemorySize.LruEntry, CachedSummaryStore.SizeOf(null));
        Assert.True(cached.CachedEntries > 600, $"{cached.CachedEntries} entries");
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> Gated(Task gate, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        yield return new ChatResponseUpdate(ChatRole.Assistant, "summary");
    }
}
