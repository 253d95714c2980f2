using System.Runtime.CompilerServices;
using Cordial.Llm.Telemetry;
using Cordial.Llm.Tests.Pipeline;
using Microsoft.Extensions.AI;

namespace Cordial.Llm.Tests.Telemetry;

public sealed class TelemetryChatClientTests
{
    private const string Secret = "my secret prompt";

    private static TelemetryChatClient Create(IChatClient inner, ManualTimeProvider time) => new(inner, timeProvider: time)
    {
        ResolveProvider = model => model switch
        {
            "alpha" => "provider-x",
            _ => throw new KeyNotFoundException(model),
        },
    };

    /// <summary>Two text tokens 1 s apart after a 2 s wait, then usage (12 in, 6 out).</summary>
    private static async IAsyncEnumerable<ChatResponseUpdate> Timed(ManualTimeProvider time, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await Task.Yield();
        time.Advance(TimeSpan.FromSeconds(2));
        yield return new ChatResponseUpdate(ChatRole.Assistant, "one ") { ModelId = "alpha" };
        time.Advance(TimeSpan.FromSeconds(3));
        yield return new ChatResponseUpdate(ChatRole.Assistant, "two");
        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = 12, OutputTokenCount = 6 })]);
        ct.ThrowIfCancellationRequested();
    }

    [Fact]
    public async Task Streaming_request_records_first_token_time_throughput_and_tokens()
    {
        var time = new ManualTimeProvider();
        var inner = new FakeChatClient { Respond = (_, _, _, ct) => Timed(time, ct) };
        using var client = Create(inner, time);
        using var recorder = new MeasurementRecorder(client.Metrics.Meter);

        await ChatRun.AskAsync(client, streaming: true, [new ChatMessage(ChatRole.User, Secret)], new ChatOptions { ModelId = "alpha" });

        Assert.Equal(2, Assert.Single(recorder.Of(TelemetryConstants.TimeToFirstToken)).Value);
        Assert.Equal(2.0, Assert.Single(recorder.Of(TelemetryConstants.TokensPerSecond)).Value); // 6 tokens over 3 s after the first
        Assert.Equal(12, Assert.Single(recorder.Of(TelemetryConstants.InputTokens)).Value);
        Assert.Equal(6, Assert.Single(recorder.Of(TelemetryConstants.OutputTokens)).Value);
        Assert.Equal(1, Assert.Single(recorder.Of(TelemetryConstants.Requests)).Value);
        Assert.Equal(5, Assert.Single(recorder.Of(TelemetryConstants.RequestDuration)).Value);
        Assert.Empty(recorder.Of(TelemetryConstants.Errors));
        Assert.All(recorder.Measurements, m =>
        {
            Assert.Equal("provider-x", m.Tags[TelemetryConstants.ProviderTag]);
            Assert.Equal("alpha", m.Tags[TelemetryConstants.ModelTag]);
            Assert.DoesNotContain(m.Tags.Values, v => v is string s && s.Contains("secret", StringComparison.Ordinal));
        });
    }

    [Fact]
    public async Task Non_streaming_request_records_tokens_from_usage()
    {
        var time = new ManualTimeProvider();
        var inner = new FakeChatClient { Respond = (_, _, _, ct) => Timed(time, ct) };
        using var client = Create(inner, time);
        using var recorder = new MeasurementRecorder(client.Metrics.Meter);

        await ChatRun.AskAsync(client, streaming: false, options: new ChatOptions { ModelId = "alpha" });

        Assert.Equal(12, Assert.Single(recorder.Of(TelemetryConstants.InputTokens)).Value);
        Assert.Equal(6, Assert.Single(recorder.Of(TelemetryConstants.OutputTokens)).Value);
        Assert.Empty(recorder.Of(TelemetryConstants.TimeToFirstToken));
        Assert.Equal(1, Assert.Single(recorder.Of(TelemetryConstants.Requests)).Value);
    }

    [Theory]
    [InlineData(false, LlmFailureKind.RateLimited)]
    [InlineData(true, LlmFailureKind.RateLimited)]
    [InlineData(true, LlmFailureKind.CircuitOpen)]
    public async Task Failures_are_counted_by_kind(bool streaming, LlmFailureKind kind)
    {
        var time = new ManualTimeProvider();
        var inner = new FakeChatClient { Respond = (_, _, _, _) => FakeStreams.Fail(FakeStreams.Error(kind)) };
        using var client = Create(inner, time);
        using var recorder = new MeasurementRecorder(client.Metrics.Meter);

        await Assert.ThrowsAsync<LlmProviderException>(() => ChatRun.AskAsync(client, streaming, options: new ChatOptions { ModelId = "alpha" }));

        var error = Assert.Single(recorder.Of(TelemetryConstants.Errors));
        Assert.Equal(kind.ToString(), error.Tags[TelemetryConstants.ErrorKindTag]);
        Assert.Equal("provider-x", error.Tags[TelemetryConstants.ProviderTag]);
        Assert.Equal(1, Assert.Single(recorder.Of(TelemetryConstants.Requests)).Value);
    }

    [Fact]
    public async Task Mid_stream_failure_is_counted_once()
    {
        var time = new ManualTimeProvider();
        var inner = new FakeChatClient { Respond = (_, _, _, _) => FakeStreams.TextThenFail(FakeStreams.Error(LlmFailureKind.ProviderUnavailable), "a", "b") };
        using var client = Create(inner, time);
        using var recorder = new MeasurementRecorder(client.Metrics.Meter);

        var (seen, error) = await ChatRun.StreamUntilFailureAsync(client);

        Assert.Equal(2, seen.Count);
        Assert.NotNull(error);
        Assert.Single(recorder.Of(TelemetryConstants.Errors));
        Assert.Single(recorder.Of(TelemetryConstants.TimeToFirstToken));
        Assert.Single(recorder.Of(TelemetryConstants.Requests));
    }

    [Fact]
    public async Task Caller_cancellation_is_not_an_error()
    {
        using var cts = new CancellationTokenSource();
        var inner = new FakeChatClient { Respond = (_, _, _, ct) => FakeStreams.Hang(ct) };
        using var client = Create(inner, new ManualTimeProvider());
        using var recorder = new MeasurementRecorder(client.Metrics.Meter);

        var ask = ChatRun.AskCancellableAsync(client, true, cts.Token);
        await Eventually.UntilAsync(() => inner.Calls == 1, "the call");
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ask);

        Assert.Empty(recorder.Of(TelemetryConstants.Errors));
        Assert.Single(recorder.Of(TelemetryConstants.Requests));
    }

    [Fact]
    public async Task Unknown_model_is_tagged_unknown_provider()
    {
        var inner = new FakeChatClient();
        using var client = Create(inner, new ManualTimeProvider());
        using var recorder = new MeasurementRecorder(client.Metrics.Meter);

        await ChatRun.AskAsync(client, streaming: true, options: new ChatOptions { ModelId = "beta" });

        var request = Assert.Single(recorder.Of(TelemetryConstants.Requests));
        Assert.Equal(TelemetryConstants.Unknown, request.Tags[TelemetryConstants.ProviderTag]);
        Assert.Equal("beta", request.Tags[TelemetryConstants.ModelTag]);
    }
}
