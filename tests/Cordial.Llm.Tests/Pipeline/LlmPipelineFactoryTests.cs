using Cordial.Llm.Fallback;
using Cordial.Llm.Pipeline;
using Cordial.Llm.Resilience;
using Cordial.Llm.Telemetry;
using Cordial.Llm.Tests.Telemetry;
using Cordial.Llm.Tools;
using Microsoft.Extensions.AI;

namespace Cordial.Llm.Tests.Pipeline;

public sealed class LlmPipelineFactoryTests
{
    /// <summary>Models a (provider p1, falls back to b), b (provider p2); each served by its own fake.</summary>
    private sealed class Setup
    {
        public FakeChatClient A { get; } = new();

        public FakeChatClient B { get; } = new();

        public ModelRouting Routing => new(
            model => model switch
            {
                null => "a",
                "a" or "A" => "a",
                "b" => "b",
                _ => throw new LlmProviderException(LlmFailureKind.ModelNotFound, $"Model '{model}' is not configured.") { Model = model },
            },
            model => model == "a" ? "p1" : "p2",
            model => model == "a" ? ["b"] : [],
            model => model == "a" ? (A, "provider-a-id") : (B, "provider-b-id"));
    }

    private static readonly LlmResilienceOptions NoRetry = new() { MaxRetries = 0 };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Default_model_answers_with_the_provider_model_id_sent_and_its_name_reported(bool streaming)
    {
        var setup = new Setup();
        using var client = LlmPipelineFactory.Create(setup.Routing, null, NoRetry);

        var (response, _) = await ChatRun.AskAsync(client, streaming);

        Assert.Equal("ok", response.Text);
        Assert.Equal("a", response.ModelId);
        Assert.Equal("provider-a-id", Assert.Single(setup.A.Recorded).ModelId);
        Assert.Equal(0, setup.B.Calls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Failing_primary_falls_back_through_the_whole_pipeline(bool streaming)
    {
        var setup = new Setup();
        setup.A.Respond = (_, _, _, _) => FakeStreams.Fail(FakeStreams.Error(LlmFailureKind.ProviderUnavailable));
        setup.B.Respond = (_, _, _, _) => FakeStreams.Text("from ", "b");
        using var client = LlmPipelineFactory.Create(setup.Routing, null, new LlmResilienceOptions { MaxRetries = 1, BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero });

        var (response, updates) = await ChatRun.AskAsync(client, streaming, options: new ChatOptions { ModelId = "A" });

        Assert.Equal("from b", response.Text);
        Assert.Equal("b", response.ModelId);
        Assert.Equal(2, setup.A.Calls); // one retry, then the fallback
        Assert.Equal("provider-b-id", Assert.Single(setup.B.Recorded).ModelId);
        if (streaming)
        {
            Assert.All(updates, u => Assert.Equal("a", u.AdditionalProperties?[FallbackChatClient.FallbackFromProperty]));
        }
    }

    [Fact]
    public async Task Every_stage_records_into_the_one_meter()
    {
        var setup = new Setup();
        setup.A.Respond = (_, _, _, _) => FakeStreams.Fail(FakeStreams.Error(LlmFailureKind.ProviderUnavailable));
        using var client = LlmPipelineFactory.Create(setup.Routing, null, new LlmResilienceOptions { MaxRetries = 1, BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero });
        using var recorder = new MeasurementRecorder(Assert.IsType<TelemetryChatClient>(client).Metrics.Meter);

        await ChatRun.AskAsync(client, streaming: true);

        var retry = Assert.Single(recorder.Of(TelemetryConstants.Retries));
        Assert.Equal("p1", retry.Tags[TelemetryConstants.ProviderTag]);
        var fallback = Assert.Single(recorder.Of(TelemetryConstants.Fallbacks));
        Assert.Equal("b", fallback.Tags[TelemetryConstants.ModelTag]);
        var request = Assert.Single(recorder.Of(TelemetryConstants.Requests));
        Assert.Equal("b", request.Tags[TelemetryConstants.ModelTag]);
        Assert.Equal("p2", request.Tags[TelemetryConstants.ProviderTag]);
        Assert.Empty(recorder.Of(TelemetryConstants.Errors));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Unknown_model_fails_with_ModelNotFound(bool streaming)
    {
        using var client = LlmPipelineFactory.Create(new Setup().Routing, null, NoRetry);

        var error = await Assert.ThrowsAsync<LlmProviderException>(() => ChatRun.AskAsync(client, streaming, options: new ChatOptions { ModelId = "nope" }));

        Assert.Equal(LlmFailureKind.ModelNotFound, error.Kind);
        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registered_tools_are_offered_and_run_through_the_pipeline()
    {
        var setup = new Setup();
        setup.A.Respond = (call, messages, options, _) => call == 1
            ? FakeStreams.Updates(new ChatResponseUpdate(ChatRole.Assistant, [new FunctionCallContent("c1", "time_now", new Dictionary<string, object?>())]))
            : FakeStreams.Text("it is ", messages[^1].Contents.OfType<FunctionResultContent>().Single().Result?.ToString() ?? "?");
        var registry = new ToolRegistry().Add("time_now", "The time", () => "noon");
        var services = new SingleServiceProvider(registry);
        using var client = LlmPipelineFactory.Create(setup.Routing, services, NoRetry);

        var (response, _) = await ChatRun.AskAsync(client, streaming: true);

        Assert.Equal("it is noon", response.Text);
        Assert.Equal(2, setup.A.Calls);
    }

    [Fact]
    public async Task Concurrent_requests_do_not_interfere()
    {
        var setup = new Setup();
        setup.A.Respond = (call, messages, _, _) => call % 3 == 0
            ? FakeStreams.Fail(FakeStreams.Error(LlmFailureKind.ProviderUnavailable))
            : FakeStreams.Text("echo ", messages[^1].Text);
        setup.B.Respond = (_, messages, _, _) => FakeStreams.Text("echo ", messages[^1].Text);
        using var client = LlmPipelineFactory.Create(setup.Routing, null, new LlmResilienceOptions { MaxRetries = 1, BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero, BreakerMinimumThroughput = 1000 });

        var answers = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            var (response, _) = await ChatRun.AskAsync(client, i % 2 == 0, [new ChatMessage(ChatRole.User, "n" + i)]);
            return (i, response.Text);
        })));

        Assert.All(answers, a => Assert.Equal("echo n" + a.i, a.Text));
    }

    [Fact]
    public void Stages_are_composed_in_the_documented_order()
    {
        using var client = LlmPipelineFactory.Create(new Setup().Routing, null, NoRetry);

        var order = new List<Type>();
        for (IChatClient? current = client; current is DelegatingChatClient delegating; current = InnerOf(delegating))
        {
            order.Add(current.GetType());
        }

        Assert.Equal([typeof(TelemetryChatClient), typeof(Cordial.Llm.Caching.ResponseCachingChatClient), typeof(Cordial.Llm.Quotas.QuotaChatClient), typeof(Cordial.Llm.Coalescing.CoalescingChatClient), typeof(ToolInvokingChatClient), typeof(FallbackChatClient), typeof(Cordial.Llm.Quotas.ProviderQuotaChatClient), typeof(ResilientChatClient)], order);
        Assert.NotNull(client.GetService<ModelRouterChatClient>());
    }

    private static IChatClient? InnerOf(DelegatingChatClient client) =>
        (IChatClient?)typeof(DelegatingChatClient).GetProperty("InnerClient", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!.GetValue(client);

    private sealed class SingleServiceProvider(object service) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType.IsInstanceOfType(service) ? service : null;
    }
}
