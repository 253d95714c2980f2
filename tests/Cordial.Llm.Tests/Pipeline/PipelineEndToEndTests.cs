using Cordial.Emulator.Llm;
using Cordial.Llm.Fallback;
using Cordial.Llm.Pipeline;
using Cordial.Llm.Resilience;
using Cordial.Llm.Tests.Providers;
using Cordial.Llm.Tools;
using Microsoft.Extensions.AI;

namespace Cordial.Llm.Tests.Pipeline;

/// <summary>
/// The composed pipeline over the real provider clients, against <see cref="LlmEmulatorHost"/> on 127.0.0.1.
/// "small" is OpenAI-compatible (sim-small) and falls back to "claude" (Anthropic, sim-large).
/// </summary>
public sealed class PipelineEndToEndTests
{
    private static readonly LlmResilienceOptions Quick = new()
    {
        MaxRetries = 2,
        BaseDelay = TimeSpan.FromMilliseconds(10),
        MaxDelay = TimeSpan.FromMilliseconds(50),
        FirstTokenTimeout = TimeSpan.FromSeconds(20),
        TotalTimeout = TimeSpan.FromSeconds(60),
    };

    private static Task<EmulatedProviders> StartAsync() =>
        EmulatedProviders.StartAsync(o => o.Models["small"].Fallbacks = ["claude"]);

    private static IChatClient Pipeline(EmulatedProviders providers, LlmResilienceOptions? resilience = null, IServiceProvider? services = null) =>
        LlmPipelineFactory.Create(ModelRouting.FromCatalog(providers.Catalog), services, resilience ?? Quick);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rate_limited_request_is_retried_then_answered(bool streaming)
    {
        await using var providers = await StartAsync();
        providers.Emulator.InjectFault(new LlmFault.RateLimited(TimeSpan.FromMilliseconds(200)), "sim-small");
        using var client = Pipeline(providers);

        var (response, _) = await ChatRun.AskAsync(client, streaming, [new ChatMessage(ChatRole.User, "retry me please")]);

        Assert.Equal(LlmEmulator.EchoPrefix + "retry me please", response.Text);
        Assert.Equal("small", response.ModelId);
        Assert.Equal(2, providers.Emulator.Requests.Count);
        Assert.All(providers.Emulator.Requests, r => Assert.Equal("sim-small", r.Model));
    }

    [Fact]
    public async Task Stream_cut_after_tokens_is_not_retried_and_the_error_surfaces()
    {
        await using var providers = await StartAsync();
        providers.Emulator.SetBehavior("sim-small", new LlmBehavior { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0, Answer = LlmAnswerMode.Filler, FillerTokens = 40 });
        providers.Emulator.InjectFault(new LlmFault.CutStream(AfterTokens: 5), "sim-small");
        using var client = Pipeline(providers);

        var (seen, error) = await ChatRun.StreamUntilFailureAsync(client);

        Assert.Contains(seen, u => u.Text.Length > 0);
        var llm = Assert.IsType<LlmProviderException>(error);
        Assert.Equal(LlmFailureKind.ProviderUnavailable, llm.Kind);
        Assert.Single(providers.Emulator.Requests); // neither retried nor sent to the fallback
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Model_that_keeps_failing_falls_back_to_the_next_provider(bool streaming)
    {
        await using var providers = await StartAsync();
        providers.Emulator.InjectFault(new LlmFault.ServerError(500), "sim-small", count: 10);
        using var client = Pipeline(providers);

        var (response, updates) = await ChatRun.AskAsync(client, streaming, [new ChatMessage(ChatRole.User, "anyone there")], new ChatOptions { ModelId = "small" });

        Assert.Equal(LlmEmulator.EchoPrefix + "anyone there", response.Text);
        Assert.Equal("claude", response.ModelId);
        Assert.Equal(3, providers.Emulator.Requests.Count(r => r.Model == "sim-small")); // first attempt + 2 retries
        var anthropic = Assert.Single(providers.Emulator.Requests, r => r.Endpoint == "anthropic");
        Assert.Equal("sim-large", anthropic.Model);
        var marker = streaming ? updates[0].AdditionalProperties?[FallbackChatClient.FallbackFromProperty] : response.AdditionalProperties?[FallbackChatClient.FallbackFromProperty];
        Assert.Equal("small", marker);
    }

    [Fact]
    public async Task Unknown_provider_model_falls_back_without_retries()
    {
        await using var providers = await EmulatedProviders.StartAsync(o => o.Models["missing"].Fallbacks = ["small"]);
        using var client = Pipeline(providers);

        var (response, _) = await ChatRun.AskAsync(client, true, [new ChatMessage(ChatRole.User, "hi")], new ChatOptions { ModelId = "missing" });

        Assert.Equal("small", response.ModelId);
        Assert.Single(providers.Emulator.Requests, r => r.Model == "no-such-model");
    }

    [Fact]
    public async Task Open_circuit_sends_requests_straight_to_the_fallback_provider()
    {
        await using var providers = await StartAsync();
        providers.Emulator.InjectFault(new LlmFault.ServerError(500), "sim-small", count: 100);
        using var client = Pipeline(providers, new LlmResilienceOptions { MaxRetries = 0, BreakerMinimumThroughput = 2, BreakerBreakDuration = TimeSpan.FromMinutes(5) });

        for (var i = 0; i < 4; i++)
        {
            var (response, _) = await ChatRun.AskAsync(client, streaming: true, [new ChatMessage(ChatRole.User, "request " + i)]);
            Assert.Equal("claude", response.ModelId);
        }

        Assert.Equal(2, providers.Emulator.Requests.Count(r => r.Model == "sim-small")); // then the breaker answered for it
        Assert.Equal(4, providers.Emulator.Requests.Count(r => r.Endpoint == "anthropic"));
    }

    [Fact]
    public async Task Hanging_provider_hits_the_first_token_timeout_and_the_retry_answers()
    {
        await using var providers = await StartAsync();
        using var client = Pipeline(providers, new LlmResilienceOptions { MaxRetries = 2, BaseDelay = TimeSpan.Zero, FirstTokenTimeout = TimeSpan.FromSeconds(3) });
        await ChatRun.AskAsync(client, streaming: true, [new ChatMessage(ChatRole.User, "warm up")]); // JIT and connections: not part of the test
        var before = providers.Emulator.Requests.Count;
        providers.Emulator.InjectFault(new LlmFault.Hang(), "sim-small");

        var (response, _) = await ChatRun.AskAsync(client, streaming: true, [new ChatMessage(ChatRole.User, "are you awake")]);

        Assert.Equal(LlmEmulator.EchoPrefix + "are you awake", response.Text);
        Assert.Equal("small", response.ModelId); // answered by the retry, not by the fallback
        Assert.Equal(0, providers.Emulator.PendingFaults); // the hanging request did reach the provider
        Assert.True(providers.Emulator.Requests.Count - before >= 2, "the hung attempt and the retry");
        Assert.DoesNotContain(providers.Emulator.Requests, r => r.Endpoint == "anthropic");
    }

    [Fact]
    public async Task Malformed_response_without_output_is_retried()
    {
        await using var providers = await StartAsync();
        providers.Emulator.InjectFault(new LlmFault.MalformedSse(), "sim-small");
        using var client = Pipeline(providers);

        var (response, _) = await ChatRun.AskAsync(client, streaming: false, [new ChatMessage(ChatRole.User, "garbled")]);

        Assert.Equal(LlmEmulator.EchoPrefix + "garbled", response.Text);
        Assert.Equal(2, providers.Emulator.Requests.Count(r => r.Model == "sim-small"));
    }

    [Fact]
    public async Task Malformed_stream_after_output_surfaces_without_retry()
    {
        await using var providers = await StartAsync();
        providers.Emulator.InjectFault(new LlmFault.MalformedSse(), "sim-small");
        using var client = Pipeline(providers);

        var (seen, error) = await ChatRun.StreamUntilFailureAsync(client);

        Assert.Contains(seen, u => u.Text.Length > 0);
        Assert.Equal(LlmFailureKind.ProviderUnavailable, Assert.IsType<LlmProviderException>(error).Kind);
        Assert.Single(providers.Emulator.Requests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Scripted_tool_call_runs_the_registered_tool(bool streaming)
    {
        await using var providers = await StartAsync();
        providers.Emulator.ScriptToolCall("weather", "get_weather", """{"city":"Oslo"}""", "It is sunny.");
        var registry = new ToolRegistry().Add("get_weather", "Weather for a city", (string city) => $"sunny in {city}");
        using var client = LlmPipelineFactory.Create(ModelRouting.FromCatalog(providers.Catalog), new RegistryServices(registry), Quick);

        var (response, _) = await ChatRun.AskAsync(client, streaming, [new ChatMessage(ChatRole.User, "what is the weather")]);

        Assert.Contains("It is sunny.", response.Text, StringComparison.Ordinal);
        Assert.Equal(2, providers.Emulator.Requests.Count);
        Assert.Contains("sunny in Oslo", providers.Emulator.Requests[^1].RawBody, StringComparison.Ordinal);
    }

    private sealed class RegistryServices(ToolRegistry registry) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(ToolRegistry) ? registry : null;
    }
}
