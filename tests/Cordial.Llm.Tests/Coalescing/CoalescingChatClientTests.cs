using Cordial.Llm.Caching;
using Cordial.Llm.Coalescing;
using Cordial.Llm.Telemetry;
using Cordial.Llm.Tests.Caching;
using Cordial.Llm.Tests.Pipeline;
using Cordial.Llm.Tests.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Cordial.Llm.Tests.Coalescing;

public sealed class CoalescingChatClientTests
{
    private static readonly string[] Rest = ["b", "c", "d"];

    private static List<ChatMessage> Ask(string prompt = "q") => [new(ChatRole.User, prompt)];

    /// <summary>An upstream that streams "a", then waits for the gate; records whether its token was cancelled.</summary>
    private sealed class GatedUpstream
    {
        private int _cancelled;

        public GatedUpstream(Exception? failure = null)
        {
            Inner = new FakeChatClient
            {
                Respond = (_, _, _, token) =>
                {
                    token.Register(() => Interlocked.Exchange(ref _cancelled, 1));
                    return CacheTestStreams.Gated(Gate.Task, "a", Rest, failure, token);
                },
            };
        }

        public FakeChatClient Inner { get; }

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Cancelled => Volatile.Read(ref _cancelled) == 1;
    }

    /// <summary>Starts reading a stream in the background; <see cref="Seen"/> grows as updates arrive.</summary>
    private sealed class Reader
    {
        private readonly List<string> _seen = [];

        public Reader(IChatClient client, CancellationToken cancellationToken, List<ChatMessage>? messages = null)
        {
            Completion = Task.Run(
                async () =>
                {
                    await foreach (var update in client.GetStreamingResponseAsync(messages ?? Ask(), null, cancellationToken))
                    {
                        lock (_seen)
                        {
                            _seen.Add(update.Text);
                        }
                    }
                },
                CancellationToken.None);
        }

        public Task Completion { get; }

        public int Count
        {
            get
            {
                lock (_seen)
                {
                    return _seen.Count;
                }
            }
        }

        public string Text
        {
            get
            {
                lock (_seen)
                {
                    return string.Concat(_seen);
                }
            }
        }
    }

    [Fact]
    public async Task Concurrent_identical_streams_share_one_call_and_a_late_joiner_gets_everything()
    {
        var upstream = new GatedUpstream();
        using var metrics = new LlmMetrics();
        using var recorder = new MeasurementRecorder(metrics.Meter);
        var client = new CoalescingChatClient(upstream.Inner, metrics: metrics);
        var ct = TestContext.Current.CancellationToken;

        var early = Enumerable.Range(0, 5).Select(_ => new Reader(client, ct)).ToList();
        await Eventually.UntilAsync(() => early.All(r => r.Count == 1), "every early reader saw the first update");

        var late = new Reader(client, ct); // joins after "a" was produced
        await Eventually.UntilAsync(() => late.Count == 1, "the late reader got the buffered first update");
        upstream.Gate.SetResult();

        await Task.WhenAll(early.Select(r => r.Completion).Append(late.Completion)).WaitAsync(TimeSpan.FromSeconds(30), ct);
        Assert.Equal(1, upstream.Inner.Calls);
        Assert.All(early.Append(late), r => Assert.Equal("abcd", r.Text));
        Assert.Equal(5, recorder.Of(CacheTelemetryConstants.Coalesced).Sum(m => m.Value));
        Assert.Equal(0, client.InFlightCount);
    }

    [Fact]
    public async Task Concurrent_identical_requests_share_one_call_and_each_gets_its_own_response()
    {
        var upstream = new GatedUpstream();
        var client = new CoalescingChatClient(upstream.Inner);
        var ct = TestContext.Current.CancellationToken;

        var first = client.GetResponseAsync(Ask(), null, ct);
        await Eventually.UntilAsync(() => upstream.Inner.Calls == 1 && client.InFlightCount == 1, "the first call started");
        var others = Enumerable.Range(0, 4).Select(_ => client.GetResponseAsync(Ask(), null, ct)).ToList();
        upstream.Gate.SetResult();

        var responses = await Task.WhenAll(others.Prepend(first)).WaitAsync(TimeSpan.FromSeconds(30), ct);
        Assert.Equal(1, upstream.Inner.Calls);
        Assert.All(responses, r => Assert.Equal("abcd", r.Text));
        Assert.Equal(5, responses.Distinct().Count());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_upstream_error_reaches_every_waiter(bool streaming)
    {
        var failure = FakeStreams.Error(LlmFailureKind.ProviderUnavailable);
        var upstream = new GatedUpstream(failure);
        var client = new CoalescingChatClient(upstream.Inner);
        var ct = TestContext.Current.CancellationToken;

        var waiters = new List<Task>();
        for (var i = 0; i < 4; i++)
        {
            waiters.Add(streaming ? new Reader(client, ct).Completion : client.GetResponseAsync(Ask(), null, ct));
            await Eventually.UntilAsync(() => upstream.Inner.Calls == 1, "the shared call started");
        }

        await Eventually.UntilAsync(() => client.WaiterCount == 4, "every waiter joined");

        upstream.Gate.SetResult();
        foreach (var waiter in waiters)
        {
            var ex = await Assert.ThrowsAsync<LlmProviderException>(() => waiter.WaitAsync(TimeSpan.FromSeconds(30), ct));
            Assert.Equal(LlmFailureKind.ProviderUnavailable, ex.Kind);
        }

        Assert.Equal(1, upstream.Inner.Calls);
        Assert.Equal(0, client.InFlightCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task One_waiter_cancelling_leaves_the_others_served(bool streaming)
    {
        var upstream = new GatedUpstream();
        var client = new CoalescingChatClient(upstream.Inner);
        var ct = TestContext.Current.CancellationToken;
        using var leaving = CancellationTokenSource.CreateLinkedTokenSource(ct);

        Task<string> Start(CancellationToken token) => streaming
            ? ReadAllAsync(client, token)
            : AskTextAsync(client, token);

        var quitter = Start(leaving.Token);
        await Eventually.UntilAsync(() => upstream.Inner.Calls == 1, "the shared call started");
        var stayer = Start(ct);
        await Eventually.UntilAsync(() => client.WaiterCount == 2, "both joined");

        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => quitter.WaitAsync(TimeSpan.FromSeconds(30), ct));
        Assert.False(upstream.Cancelled);

        upstream.Gate.SetResult();
        Assert.Equal("abcd", await stayer.WaitAsync(TimeSpan.FromSeconds(30), ct));
        Assert.Equal(1, upstream.Inner.Calls);
        Assert.False(upstream.Cancelled);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_upstream_call_is_cancelled_when_every_waiter_left(bool streaming)
    {
        var upstream = new GatedUpstream();
        var client = new CoalescingChatClient(upstream.Inner);
        var ct = TestContext.Current.CancellationToken;
        using var leaving = CancellationTokenSource.CreateLinkedTokenSource(ct);

        Task one = streaming ? ReadAllAsync(client, leaving.Token) : client.GetResponseAsync(Ask(), null, leaving.Token);
        await Eventually.UntilAsync(() => upstream.Inner.Calls == 1, "the shared call started");
        Task two = streaming ? ReadAllAsync(client, leaving.Token) : client.GetResponseAsync(Ask(), null, leaving.Token);
        await Eventually.UntilAsync(() => client.WaiterCount == 2, "both joined");

        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => one.WaitAsync(TimeSpan.FromSeconds(30), ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => two.WaitAsync(TimeSpan.FromSeconds(30), ct));
        await Eventually.UntilAsync(() => upstream.Cancelled, "the upstream call was cancelled");
        Assert.Equal(0, client.InFlightCount);

        // A new identical request starts a new call rather than joining the abandoned one.
        upstream.Gate.SetResult();
        Assert.Equal("abcd", (await ChatRun.AskAsync(client, streaming, Ask())).Response.Text);
        Assert.Equal(2, upstream.Inner.Calls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Different_or_sequential_requests_are_not_coalesced(bool streaming)
    {
        var inner = new FakeChatClient { Respond = (call, list, _, _) => FakeStreams.Text(list[^1].Text, "#", call.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        var client = new CoalescingChatClient(inner);

        var (one, _) = await ChatRun.AskAsync(client, streaming, Ask("x"));
        var (two, _) = await ChatRun.AskAsync(client, streaming, Ask("x"));
        var (three, _) = await ChatRun.AskAsync(client, streaming, Ask("y"));

        Assert.Equal(["x#1", "x#2", "y#3"], [one.Text, two.Text, three.Text]);
    }

    [Fact]
    public async Task The_map_is_bounded_and_overflowing_requests_go_upstream_alone()
    {
        var upstream = new GatedUpstream();
        var client = new CoalescingChatClient(upstream.Inner, new CoalescingOptions { MaxInFlight = 1 });
        var ct = TestContext.Current.CancellationToken;

        var a1 = new Reader(client, ct, Ask("a"));
        await Eventually.UntilAsync(() => upstream.Inner.Calls == 1, "first call");
        var b1 = new Reader(client, ct, Ask("b"));
        var b2 = new Reader(client, ct, Ask("b"));
        await Eventually.UntilAsync(() => upstream.Inner.Calls == 3, "the overflowing requests went upstream on their own");
        Assert.Equal(1, client.InFlightCount);

        upstream.Gate.SetResult();
        await Task.WhenAll(a1.Completion, b1.Completion, b2.Completion).WaitAsync(TimeSpan.FromSeconds(30), ct);
        Assert.All(new[] { a1, b1, b2 }, r => Assert.Equal("abcd", r.Text));
    }

    [Fact]
    public async Task A_stream_longer_than_the_buffer_bound_stops_accepting_joiners_but_serves_its_waiters()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inner = new FakeChatClient { Respond = (_, _, _, token) => TwentyThenGate(gate.Task, token) };
        var client = new CoalescingChatClient(inner, new CoalescingOptions { MaxBufferedUpdates = 16 });
        var ct = TestContext.Current.CancellationToken;

        var first = new Reader(client, ct);
        await Eventually.UntilAsync(() => first.Count == 20, "the first reader got the 20 updates before the gate");
        Assert.Equal(0, client.InFlightCount); // past the bound: no longer joinable

        var second = new Reader(client, ct); // cannot join: starts its own call
        await Eventually.UntilAsync(() => inner.Calls == 2, "the second request went upstream");
        gate.SetResult();
        await Task.WhenAll(first.Completion, second.Completion).WaitAsync(TimeSpan.FromSeconds(30), ct);

        var expected = string.Concat(Enumerable.Range(0, 20).Select(i => i + ",")) + "end";
        Assert.Equal(expected, first.Text);
        Assert.Equal(expected, second.Text);
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> TwentyThenGate(Task gate, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        for (var i = 0; i < 20; i++)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, i.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",");
        }

        await gate.WaitAsync(cancellationToken);
        yield return new ChatResponseUpdate(ChatRole.Assistant, "end") { FinishReason = ChatFinishReason.Stop };
    }

    [Fact]
    public async Task A_late_joiner_reads_the_text_so_far_merged_then_every_later_update_with_its_properties()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inner = new FakeChatClient { Respond = (_, _, _, token) => ThreeThenGateThenFinish(gate.Task, [], token) };
        var client = new CoalescingChatClient(inner);
        var ct = TestContext.Current.CancellationToken;

        var first = new UpdateReader(client, ct);
        await Eventually.UntilAsync(() => first.Updates.Count == 3, "the first reader got the three updates before the gate");
        var late = new UpdateReader(client, ct);
        await Eventually.UntilAsync(() => late.Updates.Count == 1, "the late reader got the history");
        gate.SetResult();
        await Task.WhenAll(first.Completion, late.Completion).WaitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal(1, inner.Calls);
        Assert.Equal(["a", "b", "c", "d"], first.Updates.Select(u => u.Text));
        Assert.Equal(["abc", "d"], late.Updates.Select(u => u.Text)); // the deltas before it joined, as one run
        Assert.Equal(ChatFinishReason.Stop, late.Updates[^1].FinishReason);
        Assert.Same(first.Updates[^1], late.Updates[^1]); // live updates are shared, not copied
    }

    [Fact]
    public async Task A_streamed_update_every_waiter_has_taken_is_not_kept_by_the_call()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var produced = new List<WeakReference<ChatResponseUpdate>>();
        var inner = new FakeChatClient { Respond = (_, _, _, token) => ThreeThenGateThenFinish(gate.Task, produced, token) };
        var client = new CoalescingChatClient(inner);
        var ct = TestContext.Current.CancellationToken;

        var reader = new Reader(client, ct); // keeps only the text
        await Eventually.UntilAsync(() => reader.Count == 3, "the reader took the three updates before the gate");

        // "a" starts the history's text run (kept to compare the next deltas with) and "c" is the last one handed
        // over (iterators hold their current item); "b" is referenced by nothing once taken. Buffering every update
        // for late joiners kept it until the answer ended.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(produced[1].TryGetTarget(out _), "the call still holds an update its only waiter has taken");

        gate.SetResult();
        await reader.Completion.WaitAsync(TimeSpan.FromSeconds(30), ct);
        Assert.Equal("abcd", reader.Text);
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> ThreeThenGateThenFinish(
        Task gate, List<WeakReference<ChatResponseUpdate>> produced, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var text in (string[])["a", "b", "c"])
        {
            yield return Produce(text, produced);
        }

        await gate.WaitAsync(cancellationToken);
        yield return new ChatResponseUpdate(ChatRole.Assistant, "d") { FinishReason = ChatFinishReason.Stop };
    }

    // Not inlined, so no caller's local keeps the update alive.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static ChatResponseUpdate Produce(string text, List<WeakReference<ChatResponseUpdate>> produced)
    {
        var update = new ChatResponseUpdate(ChatRole.Assistant, text);
        produced.Add(new WeakReference<ChatResponseUpdate>(update));
        return update;
    }

    /// <summary>Reads a stream in the background keeping the update objects.</summary>
    private sealed class UpdateReader
    {
        private readonly List<ChatResponseUpdate> _updates = [];

        public UpdateReader(IChatClient client, CancellationToken cancellationToken)
        {
            Completion = Task.Run(
                async () =>
                {
                    await foreach (var update in client.GetStreamingResponseAsync(Ask(), null, cancellationToken))
                    {
                        lock (_updates)
                        {
                            _updates.Add(update);
                        }
                    }
                },
                CancellationToken.None);
        }

        public Task Completion { get; }

        public IReadOnlyList<ChatResponseUpdate> Updates
        {
            get
            {
                lock (_updates)
                {
                    return [.. _updates];
                }
            }
        }
    }

    [Fact]
    public async Task Parallel_load_over_few_prompts_gives_every_caller_its_own_prompt_s_answer()
    {
        var inner = new FakeChatClient { Respond = (_, list, _, _) => FakeStreams.Text(list[^1].Text, "|", "done") };
        var client = new CoalescingChatClient(inner);
        var ct = TestContext.Current.CancellationToken;

        await Parallel.ForAsync(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
        {
            var prompt = "p" + (i % 10).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var (response, _) = await ChatRun.AskCancellableAsync(client, i % 2 == 0, token, Ask(prompt));
            Assert.Equal(prompt + "|done", response.Text);
        });

        Assert.InRange(inner.Calls, 10, 400);
        Assert.Equal(0, client.InFlightCount);
    }

    [Fact]
    public async Task Inputs_are_enumerated_once()
    {
        var inner = new FakeChatClient();
        var client = new CoalescingChatClient(inner);
        var (streamed, _) = await ChatRun.AskAsync(client, true, new EnumeratedOnce<ChatMessage>(Ask()));
        var (response, _) = await ChatRun.AskAsync(client, false, new EnumeratedOnce<ChatMessage>(Ask()));
        Assert.Equal("ok", streamed.Text);
        Assert.Equal("ok", response.Text);
    }

    [Theory]
    [InlineData(0, 8192, "Llm:Coalescing:MaxInFlight")]
    [InlineData(10, 1, "Llm:Coalescing:MaxBufferedUpdates")]
    public void Invalid_settings_are_rejected_with_the_setting_named(int maxInFlight, int maxBuffered, string expected)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new CoalescingChatClient(new FakeChatClient(), new CoalescingOptions { MaxInFlight = maxInFlight, MaxBufferedUpdates = maxBuffered }));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    private static async Task<string> AskTextAsync(IChatClient client, CancellationToken cancellationToken) =>
        (await client.GetResponseAsync(Ask(), null, cancellationToken)).Text;

    private static async Task<string> ReadAllAsync(IChatClient client, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var text = "";
        await foreach (var update in client.GetStreamingResponseAsync(Ask(), null, cancellationToken))
        {
            text += update.Text;
        }

        return text;
    }
}
