using Cordial.Llm.Resilience;
using Cordial.Llm.Tests.Pipeline;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;

namespace Cordial.Llm.Tests.Resilience;

public sealed class ResilientChatClientTests
{
    private static LlmResilienceOptions Fast(int maxRetries = 2) => new()
    {
        MaxRetries = maxRetries,
        BaseDelay = TimeSpan.Zero,
        MaxDelay = TimeSpan.Zero,
        BreakerMinimumThroughput = 100, // effectively no breaker unless a test sets it
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Transient_failure_before_the_first_token_is_retried(bool streaming)
    {
        var inner = new FakeChatClient
        {
            Respond = (call, _, _, _) => call <= 2
                ? FakeStreams.Fail(FakeStreams.Error(LlmFailureKind.ProviderUnavailable))
                : FakeStreams.Text("all ", "good"),
        };
        using var client = new ResilientChatClient(inner, Fast());

        var (response, _) = await ChatRun.AskAsync(client, streaming);

        Assert.Equal("all good", response.Text);
        Assert.Equal(3, inner.Calls);
    }

    [Fact]
    public async Task Failure_after_text_was_streamed_is_not_retried_and_surfaces()
    {
        var inner = new FakeChatClient
        {
            Respond = (_, _, _, _) => FakeStreams.TextThenFail(FakeStreams.Error(LlmFailureKind.ProviderUnavailable), "partial ", "answer"),
        };
        using var client = new ResilientChatClient(inner, Fast());

        var (seen, error) = await ChatRun.StreamUntilFailureAsync(client);

        Assert.Equal(["partial ", "answer"], seen.Select(u => u.Text));
        var llm = Assert.IsType<LlmProviderException>(error);
        Assert.Equal(LlmFailureKind.ProviderUnavailable, llm.Kind);
        Assert.Equal(1, inner.Calls);
    }

    [Theory]
    [InlineData(false, LlmFailureKind.BadRequest)]
    [InlineData(true, LlmFailureKind.BadRequest)]
    [InlineData(true, LlmFailureKind.Unauthorized)]
    [InlineData(true, LlmFailureKind.ContextTooLong)]
    public async Task Non_transient_failure_is_not_retried(bool streaming, LlmFailureKind kind)
    {
        var inner = new FakeChatClient { Respond = (_, _, _, _) => FakeStreams.Fail(FakeStreams.Error(kind)) };
        using var client = new ResilientChatClient(inner, Fast());

        var error = await Assert.ThrowsAsync<LlmProviderException>(() => ChatRun.AskAsync(client, streaming));

        Assert.Equal(kind, error.Kind);
        Assert.Equal(1, inner.Calls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task When_retries_are_exhausted_the_last_failure_surfaces(bool streaming)
    {
        var inner = new FakeChatClient { Respond = (call, _, _, _) => FakeStreams.Fail(new LlmProviderException(LlmFailureKind.ProviderUnavailable, $"attempt {call}")) };
        using var client = new ResilientChatClient(inner, Fast(maxRetries: 2));

        var error = await Assert.ThrowsAsync<LlmProviderException>(() => ChatRun.AskAsync(client, streaming));

        Assert.Equal("attempt 3", error.Message);
        Assert.Equal(3, inner.Calls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rate_limit_waits_for_Retry_After_instead_of_the_backoff(bool streaming)
    {
        var time = new ManualTimeProvider();
        var callTimes = new List<DateTimeOffset>();
        var inner = new FakeChatClient
        {
            Respond = (call, _, _, _) =>
            {
                lock (callTimes)
                {
                    callTimes.Add(time.GetUtcNow());
                }

                return call == 1
                    ? FakeStreams.Fail(FakeStreams.Error(LlmFailureKind.RateLimited, retryAfter: TimeSpan.FromSeconds(10)))
                    : FakeStreams.Text("done");
            },
        };
        var options = new LlmResilienceOptions { MaxRetries = 2, BaseDelay = TimeSpan.FromSeconds(60), MaxDelay = TimeSpan.FromSeconds(60), FirstTokenTimeout = TimeSpan.FromMinutes(5), TotalTimeout = TimeSpan.FromMinutes(10) };
        using var client = new ResilientChatClient(inner, options, time) { JitterSource = () => 0 };

        var ask = ChatRun.AskAsync(client, streaming);
        await ChatRun.AdvanceUntilAsync(time, () => inner.Calls >= 2, TimeSpan.FromSeconds(1), "the retry");
        var (response, _) = await ask;

        Assert.Equal("done", response.Text);
        var waited = callTimes[1] - callTimes[0];
        Assert.InRange(waited, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(29)); // Retry-After (10 s), not the 30-60 s backoff
    }

    [Fact]
    public async Task Rate_limit_longer_than_MaxRetryAfter_is_not_retried()
    {
        var inner = new FakeChatClient { Respond = (_, _, _, _) => FakeStreams.Fail(FakeStreams.Error(LlmFailureKind.RateLimited, retryAfter: TimeSpan.FromMinutes(5))) };
        using var client = new ResilientChatClient(inner, new LlmResilienceOptions { MaxRetryAfter = TimeSpan.FromSeconds(30) });

        var error = await Assert.ThrowsAsync<LlmProviderException>(() => ChatRun.AskAsync(client, streaming: true));

        Assert.Equal(LlmFailureKind.RateLimited, error.Kind);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task No_first_token_within_the_timeout_is_a_transient_Timeout_and_is_retried()
    {
        var time = new ManualTimeProvider();
        var inner = new FakeChatClient
        {
            Respond = (call, _, _, ct) => call == 1 ? FakeStreams.Hang(ct) : FakeStreams.Text("late but fine"),
        };
        var options = new LlmResilienceOptions { MaxRetries = 1, BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero, FirstTokenTimeout = TimeSpan.FromSeconds(5), TotalTimeout = TimeSpan.FromMinutes(5) };
        using var client = new ResilientChatClient(inner, options, time);

        var ask = ChatRun.AskAsync(client, streaming: true);
        await ChatRun.AdvanceUntilAsync(time, () => inner.Calls >= 2, TimeSpan.FromSeconds(1), "the second attempt");
        var (response, _) = await ask;

        Assert.Equal("late but fine", response.Text);
    }

    [Fact]
    public async Task First_token_timeout_surfaces_as_Timeout_when_retries_are_exhausted()
    {
        var time = new ManualTimeProvider();
        var inner = new FakeChatClient { Respond = (_, _, _, ct) => FakeStreams.Hang(ct) };
        var options = new LlmResilienceOptions { MaxRetries = 0, FirstTokenTimeout = TimeSpan.FromSeconds(5), TotalTimeout = TimeSpan.FromMinutes(5) };
        using var client = new ResilientChatClient(inner, options, time);

        var ask = ChatRun.AskAsync(client, streaming: true);
        await ChatRun.AdvanceUntilAsync(time, () => ask.IsCompleted, TimeSpan.FromSeconds(1), "the timeout");

        var error = await Assert.ThrowsAsync<LlmProviderException>(() => ask);
        Assert.Equal(LlmFailureKind.Timeout, error.Kind);
        Assert.Contains("first token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Whole_stream_timeout_surfaces_as_Timeout_after_output()
    {
        var time = new ManualTimeProvider();
        var inner = new FakeChatClient { Respond = (_, _, _, ct) => TextThenHang(ct) };
        var options = new LlmResilienceOptions { FirstTokenTimeout = TimeSpan.FromSeconds(5), TotalTimeout = TimeSpan.FromSeconds(20) };
        using var client = new ResilientChatClient(inner, options, time);

        var run = ChatRun.StreamUntilFailureAsync(client);
        await ChatRun.AdvanceUntilAsync(time, () => run.IsCompleted, TimeSpan.FromSeconds(1), "the total timeout");
        var (seen, error) = await run;

        Assert.Equal("first", Assert.Single(seen).Text);
        Assert.Equal(LlmFailureKind.Timeout, Assert.IsType<LlmProviderException>(error).Kind);
        Assert.Equal(1, inner.Calls);

        static async IAsyncEnumerable<ChatResponseUpdate> TextThenHang([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, "first");
            await Task.Delay(Timeout.Infinite, ct);
        }
    }

    [Fact]
    public async Task Non_streaming_request_is_bounded_by_the_total_timeout_and_not_retried()
    {
        var time = new ManualTimeProvider();
        var inner = new FakeChatClient { Respond = (_, _, _, ct) => FakeStreams.Hang(ct) };
        var options = new LlmResilienceOptions { MaxRetries = 2, FirstTokenTimeout = TimeSpan.FromSeconds(5), TotalTimeout = TimeSpan.FromSeconds(20) };
        using var client = new ResilientChatClient(inner, options, time);
        var start = time.GetUtcNow();

        var ask = ChatRun.AskAsync(client, streaming: false);
        await ChatRun.AdvanceUntilAsync(time, () => ask.IsCompleted, TimeSpan.FromSeconds(1), "the total timeout");

        var error = await Assert.ThrowsAsync<LlmProviderException>(() => ask);
        Assert.Equal(LlmFailureKind.Timeout, error.Kind);
        Assert.True(time.GetUtcNow() - start >= TimeSpan.FromSeconds(20), "virtual clock: the first-token timeout does not apply to non-streaming");
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_turned_into_a_timeout()
    {
        using var cts = new CancellationTokenSource();
        var inner = new FakeChatClient { Respond = (_, _, _, ct) => FakeStreams.Hang(ct) };
        using var client = new ResilientChatClient(inner, Fast());

        var ask = ChatRun.AskCancellableAsync(client, true, cts.Token);
        await Eventually.UntilAsync(() => inner.Calls == 1, "the call");
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ask);
        Assert.Equal(1, inner.Calls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Breaker_opens_after_failures_fails_fast_and_half_opens_after_the_break(bool streaming)
    {
        var time = new ManualTimeProvider();
        var failing = true;
        var inner = new FakeChatClient
        {
            Respond = (_, _, _, _) => Volatile.Read(ref failing) ? FakeStreams.Fail(FakeStreams.Error(LlmFailureKind.ProviderUnavailable)) : FakeStreams.Text("back"),
        };
        var options = new LlmResilienceOptions
        {
            MaxRetries = 0,
            BreakerFailureRatio = 0.5,
            BreakerMinimumThroughput = 2,
            BreakerSamplingDuration = TimeSpan.FromSeconds(30),
            BreakerBreakDuration = TimeSpan.FromSeconds(10),
        };
        using var client = new ResilientChatClient(inner, options, time);

        for (var i = 0; i < 2; i++)
        {
            var failure = await Assert.ThrowsAsync<LlmProviderException>(() => ChatRun.AskAsync(client, streaming));
            Assert.Equal(LlmFailureKind.ProviderUnavailable, failure.Kind);
        }

        Assert.Equal(CircuitState.Open, client.GetCircuitState("default"));
        var open = await Assert.ThrowsAsync<LlmProviderException>(() => ChatRun.AskAsync(client, streaming));
        Assert.Equal(LlmFailureKind.CircuitOpen, open.Kind);
        Assert.Equal("default", open.Provider);
        Assert.Equal(2, inner.Calls); // failed fast: the provider was not called

        Volatile.Write(ref failing, false);
        time.Advance(TimeSpan.FromSeconds(10));
        var (probe, _) = await ChatRun.AskAsync(client, streaming);
        Assert.Equal("back", probe.Text);
        Assert.Equal(3, inner.Calls);
        Assert.Equal(CircuitState.Closed, client.GetCircuitState("default"));

        await ChatRun.AskAsync(client, streaming);
        Assert.Equal(4, inner.Calls);
    }

    [Fact]
    public async Task Failed_half_open_probe_opens_the_circuit_again()
    {
        var time = new ManualTimeProvider();
        var inner = new FakeChatClient { Respond = (_, _, _, _) => FakeStreams.Fail(FakeStreams.Error(LlmFailureKind.ProviderUnavailable)) };
        var options = new LlmResilienceOptions { MaxRetries = 0, BreakerMinimumThroughput = 2, BreakerBreakDuration = TimeSpan.FromSeconds(10) };
        using var client = new ResilientChatClient(inner, options, time);
        await Assert.ThrowsAsync<LlmProviderException>(() => ChatRun.AskAsync(client, true));
        await Assert.ThrowsAsync<LlmProviderException>(() => ChatRun.AskAsync(client, true));

        time.Advance(TimeSpan.FromSeconds(10));
        var probe = await Assert.ThrowsAsync<LlmProviderException>(() => ChatRun.AskAsync(client, true));
        var again = await Assert.ThrowsAsync<LlmProviderException>(() => ChatRun.AskAsync(client, true));

        Assert.Equal(LlmFailureKind.ProviderUnavailable, probe.Kind);
        Assert.Equal(LlmFailureKind.CircuitOpen, again.Kind);
        Assert.Equal(3, inner.Calls);
    }

    [Fact]
    public async Task Breaker_is_per_provider()
    {
        var inner = new FakeChatClient
        {
            Respond = (_, _, options, _) => options?.ModelId == "a"
                ? FakeStreams.Fail(FakeStreams.Error(LlmFailureKind.ProviderUnavailable))
                : FakeStreams.Text("b answers"),
        };
        var options = new LlmResilienceOptions { MaxRetries = 0, BreakerMinimumThroughput = 2 };
        using var client = new ResilientChatClient(inner, options, new ManualTimeProvider())
        {
            ResolveProvider = model => model == "a" ? "provider-a" : "provider-b",
        };
        var a = new ChatOptions { ModelId = "a" };
        var b = new ChatOptions { ModelId = "b" };
        await Assert.ThrowsAsync<LlmProviderException>(() => ChatRun.AskAsync(client, true, options: a));
        await Assert.ThrowsAsync<LlmProviderException>(() => ChatRun.AskAsync(client, true, options: a));

        var open = await Assert.ThrowsAsync<LlmProviderException>(() => ChatRun.AskAsync(client, true, options: a));
        var (fromB, _) = await ChatRun.AskAsync(client, true, options: b);

        Assert.Equal(LlmFailureKind.CircuitOpen, open.Kind);
        Assert.Equal("provider-a", open.Provider);
        Assert.Equal("b answers", fromB.Text);
        Assert.Equal(CircuitState.Open, client.GetCircuitState("provider-a"));
        Assert.Equal(CircuitState.Closed, client.GetCircuitState("provider-b"));
    }

    [Fact]
    public async Task Request_specific_failures_do_not_open_the_breaker()
    {
        var inner = new FakeChatClient { Respond = (_, _, _, _) => FakeStreams.Fail(FakeStreams.Error(LlmFailureKind.ContextTooLong)) };
        using var client = new ResilientChatClient(inner, new LlmResilienceOptions { MaxRetries = 0, BreakerMinimumThroughput = 2 }, new ManualTimeProvider());

        for (var i = 0; i < 5; i++)
        {
            var error = await Assert.ThrowsAsync<LlmProviderException>(() => ChatRun.AskAsync(client, true));
            Assert.Equal(LlmFailureKind.ContextTooLong, error.Kind);
        }

        Assert.Equal(5, inner.Calls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Messages_are_enumerated_once_and_options_are_not_modified_across_retries(bool streaming)
    {
        var inner = new FakeChatClient
        {
            Respond = (call, _, _, _) => call == 1 ? FakeStreams.Fail(FakeStreams.Error(LlmFailureKind.ProviderUnavailable)) : FakeStreams.Text("ok"),
        };
        using var client = new ResilientChatClient(inner, Fast());
        var options = new ChatOptions { ModelId = "m", Temperature = 0.5f };

        var (response, _) = await ChatRun.AskAsync(client, streaming, new EnumeratedOnce<ChatMessage>([new ChatMessage(ChatRole.User, "hi")]), options);

        Assert.Equal("ok", response.Text);
        Assert.All(inner.Recorded, r => Assert.Equal("hi", Assert.Single(r.Messages).Text));
        Assert.Equal("m", options.ModelId);
        Assert.Equal(0.5f, options.Temperature);
    }

    [Fact]
    public void Backoff_is_exponential_with_equal_jitter_and_capped()
    {
        var options = new LlmResilienceOptions { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(5) };
        using var low = new ResilientChatClient(new FakeChatClient(), options) { JitterSource = () => 0 };
        using var high = new ResilientChatClient(new FakeChatClient(), options) { JitterSource = () => 1 };
        var transient = FakeStreams.Error(LlmFailureKind.ProviderUnavailable);

        Assert.Equal(TimeSpan.FromSeconds(0.5), low.RetryDelay(0, transient));
        Assert.Equal(TimeSpan.FromSeconds(1), high.RetryDelay(0, transient));
        Assert.Equal(TimeSpan.FromSeconds(2), high.RetryDelay(1, transient));
        Assert.Equal(TimeSpan.FromSeconds(5), high.RetryDelay(6, transient));
        Assert.Equal(TimeSpan.FromSeconds(2.5), low.RetryDelay(6, transient));
        Assert.Equal(TimeSpan.FromSeconds(42), low.RetryDelay(0, FakeStreams.Error(LlmFailureKind.RateLimited, TimeSpan.FromSeconds(42))));
    }

    [Theory]
    [InlineData(nameof(LlmResilienceOptions.MaxRetries))]
    [InlineData(nameof(LlmResilienceOptions.FirstTokenTimeout))]
    [InlineData(nameof(LlmResilienceOptions.TotalTimeout))]
    [InlineData(nameof(LlmResilienceOptions.BreakerFailureRatio))]
    [InlineData(nameof(LlmResilienceOptions.BreakerMinimumThroughput))]
    [InlineData(nameof(LlmResilienceOptions.BreakerBreakDuration))]
    [InlineData(nameof(LlmResilienceOptions.MaxDelay))]
    public void Invalid_settings_are_rejected_naming_the_setting(string setting)
    {
        var options = new LlmResilienceOptions();
        switch (setting)
        {
            case nameof(LlmResilienceOptions.MaxRetries): options.MaxRetries = -1; break;
            case nameof(LlmResilienceOptions.FirstTokenTimeout): options.FirstTokenTimeout = TimeSpan.Zero; break;
            case nameof(LlmResilienceOptions.TotalTimeout): options.TotalTimeout = TimeSpan.FromSeconds(10); break; // below FirstTokenTimeout
            case nameof(LlmResilienceOptions.BreakerFailureRatio): options.BreakerFailureRatio = 1.5; break;
            case nameof(LlmResilienceOptions.BreakerMinimumThroughput): options.BreakerMinimumThroughput = 1; break;
            case nameof(LlmResilienceOptions.BreakerBreakDuration): options.BreakerBreakDuration = TimeSpan.FromMilliseconds(1); break;
            case nameof(LlmResilienceOptions.MaxDelay): options.MaxDelay = TimeSpan.FromMilliseconds(1); break; // below BaseDelay
        }

        var error = Assert.Throws<OptionsValidationException>(() => new ResilientChatClient(new FakeChatClient(), options));

        Assert.Contains("Llm:Resilience:" + setting, error.Message, StringComparison.Ordinal);
        Assert.False(new LlmResilienceOptionsValidator().Validate(null, options).Succeeded);
        Assert.True(new LlmResilienceOptionsValidator().Validate(null, new LlmResilienceOptions()).Succeeded);
    }
}
