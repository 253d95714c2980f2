using System.Net;
using Cordial.Emulator.Llm;

namespace Cordial.Emulator.Tests.Llm;

/// <summary>Latency and speed follow the injected clock: nothing arrives until the test moves time.</summary>
public sealed class LlmPacingTests
{
    [Fact]
    public async Task StreamWaitsForTheFirstTokenThenPacesEachToken()
    {
        var time = new ManualTimeProvider();
        await using var client = await LlmTestClient.StartAsync(o =>
        {
            o.TimeProvider = time;
            o.DefaultBehavior = new LlmBehavior { TimeToFirstToken = TimeSpan.FromSeconds(10), TokensPerSecond = 1 };
        });
        using var response = await client.PostOpenAiAsync(LlmTestClient.OpenAiBody("sim-small", "x", stream: true));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var events = LlmTestClient.EnumerateEventsAsync(response, TestContext.Current.CancellationToken).GetAsyncEnumerator(TestContext.Current.CancellationToken);

        // Before the first token is due, the server waits on the clock and nothing is delivered.
        var first = events.MoveNextAsync().AsTask();
        await Eventually.UntilAsync(() => time.ActiveTimers > 0, "the server to wait for the first token");
        Assert.False(first.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(await first);
        Assert.Equal("assistant", Delta(events.Current).GetProperty("role").GetString());
        Assert.True(await events.MoveNextAsync());
        Assert.Equal("You", Delta(events.Current).GetProperty("content").GetString());

        // Each further token waits one second of emulator time.
        foreach (var expected in new[] { " said:", " x" })
        {
            var next = events.MoveNextAsync().AsTask();
            await Eventually.UntilAsync(() => time.ActiveTimers > 0, "the server to wait for the next token");
            Assert.False(next.IsCompleted);
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.True(await next);
            Assert.Equal(expected, Delta(events.Current).GetProperty("content").GetString());
        }

        // The rest needs no more time.
        Assert.True(await events.MoveNextAsync());
        Assert.Equal("stop", events.Current.Json().GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.True(await events.MoveNextAsync());
        Assert.True(events.Current.IsDone);
    }

    [Fact]
    public async Task NonStreamingAnswerWaitsForTheWholeGeneration()
    {
        var time = new ManualTimeProvider();
        await using var client = await LlmTestClient.StartAsync(o =>
        {
            o.TimeProvider = time;
            o.DefaultBehavior = new LlmBehavior { TimeToFirstToken = TimeSpan.FromSeconds(10), TokensPerSecond = 1 };
        });

        // "You said: a b" is 4 tokens: first at 10 s, last at 13 s.
        var pending = client.PostOpenAiAsync(LlmTestClient.OpenAiBody("sim-small", "a b", stream: false));
        await Eventually.UntilAsync(() => time.ActiveTimers > 0, "the server to wait");
        time.Advance(TimeSpan.FromSeconds(12));
        Assert.False(pending.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        using var response = await pending;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task BehaviorIsPerModel()
    {
        var time = new ManualTimeProvider();
        await using var client = await LlmTestClient.StartAsync(o =>
        {
            o.TimeProvider = time;
            o.DefaultBehavior = new LlmBehavior { TimeToFirstToken = TimeSpan.FromHours(1) };
        });
        client.Emulator.SetBehavior("sim-small", new LlmBehavior { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0 });

        // sim-small answers without the clock moving; sim-large would wait an hour.
        using var small = await client.PostOpenAiAsync(LlmTestClient.OpenAiBody("sim-small", "hi", stream: false));
        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        var large = client.PostOpenAiAsync(LlmTestClient.OpenAiBody("sim-large", "hi", stream: false));
        await Eventually.UntilAsync(() => time.ActiveTimers > 0, "sim-large to wait");
        Assert.False(large.IsCompleted);
        time.Advance(TimeSpan.FromHours(2));
        using var largeResponse = await large;
        Assert.Equal(HttpStatusCode.OK, largeResponse.StatusCode);
    }

    private static System.Text.Json.JsonElement Delta(SseEvent e) => e.Json().GetProperty("choices")[0].GetProperty("delta");
}
