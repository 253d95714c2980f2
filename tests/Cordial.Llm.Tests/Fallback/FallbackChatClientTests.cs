using Cordial.Llm.Fallback;
using Cordial.Llm.Resilience;
using Cordial.Llm.Tests.Pipeline;
using Microsoft.Extensions.AI;

namespace Cordial.Llm.Tests.Fallback;

public sealed class FallbackChatClientTests
{
    private static FallbackChatClient Chain(IChatClient inner, params string[] chain) => new(inner)
    {
        ResolveModel = model => model ?? chain[0],
        ResolveFallbacks = model => model == chain[0] ? chain[1..] : [],
    };

    private static FakeChatClient FailingModels(LlmFailureKind kind, params string[] failing) => new()
    {
        Respond = (_, _, options, _) => failing.Contains(options?.ModelId)
            ? FakeStreams.Fail(FakeStreams.Error(kind, model: options?.ModelId))
            : FakeStreams.Text("answer ", "from ", options?.ModelId ?? "?"),
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Next_model_answers_when_the_first_fails_before_output_and_is_named(bool streaming)
    {
        var inner = FailingModels(LlmFailureKind.ProviderUnavailable, "a");
        using var client = Chain(inner, "a", "b", "c");

        var (response, updates) = await ChatRun.AskAsync(client, streaming, options: new ChatOptions { ModelId = "a" });

        Assert.Equal("answer from b", response.Text);
        Assert.Equal("b", response.ModelId);
        Assert.Equal(["a", "b"], inner.Recorded.Select(r => r.ModelId));
        if (streaming)
        {
            Assert.All(updates, u =>
            {
                Assert.Equal("b", u.ModelId);
                Assert.Equal("a", u.AdditionalProperties?[FallbackChatClient.FallbackFromProperty]);
            });
        }
        else
        {
            Assert.Equal("a", response.AdditionalProperties?[FallbackChatClient.FallbackFromProperty]);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Primary_answer_carries_its_name_and_no_fallback_marker(bool streaming)
    {
        var inner = FailingModels(LlmFailureKind.ProviderUnavailable);
        using var client = Chain(inner, "a", "b");

        var (response, updates) = await ChatRun.AskAsync(client, streaming);

        Assert.Equal("answer from a", response.Text);
        Assert.Equal("a", response.ModelId);
        Assert.Equal(1, inner.Calls);
        Assert.All(updates, u => Assert.Null(u.AdditionalProperties?.GetValueOrDefault(FallbackChatClient.FallbackFromProperty)));
        Assert.Null(response.AdditionalProperties?.GetValueOrDefault(FallbackChatClient.FallbackFromProperty));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task When_every_model_fails_the_last_error_surfaces(bool streaming)
    {
        var inner = FailingModels(LlmFailureKind.RateLimited, "a", "b", "c");
        using var client = Chain(inner, "a", "b", "c");

        var error = await Assert.ThrowsAsync<LlmProviderException>(() => ChatRun.AskAsync(client, streaming));

        Assert.Equal("c", error.Model);
        Assert.Equal(LlmFailureKind.RateLimited, error.Kind);
        Assert.Equal(3, inner.Calls);
    }

    [Fact]
    public async Task Failure_after_output_does_not_fall_back()
    {
        var inner = new FakeChatClient
        {
            Respond = (_, _, options, _) => options?.ModelId == "a"
                ? FakeStreams.TextThenFail(FakeStreams.Error(LlmFailureKind.ProviderUnavailable), "half ")
                : FakeStreams.Text("b"),
        };
        using var client = Chain(inner, "a", "b");

        var (seen, error) = await ChatRun.StreamUntilFailureAsync(client);

        Assert.Equal("half ", Assert.Single(seen).Text);
        Assert.Equal(LlmFailureKind.ProviderUnavailable, Assert.IsType<LlmProviderException>(error).Kind);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task Open_circuit_of_the_primary_goes_straight_to_the_fallback()
    {
        var inner = FailingModels(LlmFailureKind.ProviderUnavailable, "a");
        var resilient = new ResilientChatClient(inner, new LlmResilienceOptions { MaxRetries = 0, BreakerMinimumThroughput = 2 }, new ManualTimeProvider());
        using var client = Chain(resilient, "a", "b");

        for (var i = 0; i < 2; i++)
        {
            await ChatRun.AskAsync(client, streaming: true);
        }

        var callsBefore = inner.Recorded.Count(r => r.ModelId == "a");
        var (response, updates) = await ChatRun.AskAsync(client, streaming: true);

        Assert.Equal(2, callsBefore);
        Assert.Equal(2, inner.Recorded.Count(r => r.ModelId == "a")); // the breaker answered for "a"
        Assert.Equal("answer from b", response.Text);
        Assert.Equal("a", updates[0].AdditionalProperties?[FallbackChatClient.FallbackFromProperty]);
    }

    [Fact]
    public async Task Caller_cancellation_does_not_try_the_fallbacks()
    {
        using var cts = new CancellationTokenSource();
        var inner = new FakeChatClient { Respond = (_, _, _, ct) => FakeStreams.Hang(ct) };
        using var client = Chain(inner, "a", "b");

        var ask = ChatRun.AskCancellableAsync(client, true, cts.Token);
        await Eventually.UntilAsync(() => inner.Calls == 1, "the first call");
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ask);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task Caller_options_are_not_modified()
    {
        var inner = FailingModels(LlmFailureKind.ProviderUnavailable, "a");
        using var client = Chain(inner, "a", "b");
        var options = new ChatOptions { ModelId = "a", MaxOutputTokens = 10 };

        await ChatRun.AskAsync(client, streaming: true, options: options);

        Assert.Equal("a", options.ModelId);
        Assert.All(inner.Recorded, r => Assert.NotSame(options, r.Options));
        Assert.All(inner.Recorded, r => Assert.Equal(10, r.Options?.MaxOutputTokens));
    }

    [Fact]
    public void Chain_is_deduplicated_and_bounded()
    {
        using var client = new FallbackChatClient(new FakeChatClient())
        {
            ResolveModel = m => m ?? "a",
            ResolveFallbacks = _ => ["b", "a", "b", "", "c", "d", "e", "f", "g", "h", "i", "j"],
        };

        var chain = client.GetChain(null);

        Assert.Equal(["a", "b", "c", "d", "e", "f", "g", "h"], chain);
    }
}
