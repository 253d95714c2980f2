using Cordial.Llm.Caching;
using Cordial.Llm.Coalescing;
using Cordial.Llm.Pipeline;
using Cordial.Llm.Resilience;
using Cordial.Llm.Telemetry;
using Cordial.Llm.Tests.Pipeline;
using Cordial.Llm.Tests.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cordial.Llm.Tests.Caching;

public sealed class PipelineCacheTests
{
    private static ModelRouting Routing(FakeChatClient provider) => new(
        model => model ?? "a",
        _ => "p1",
        _ => [],
        _ => (provider, "provider-a-id"));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_repeated_request_is_served_by_the_cache_below_telemetry(bool streaming)
    {
        var provider = new FakeChatClient { Respond = (_, _, _, _) => CacheTestStreams.Answer("provider-a-id", ChatFinishReason.Stop, 5, 2, "cached ", "answer") };
        using var client = LlmPipelineFactory.Create(Routing(provider), null, new LlmResilienceOptions { MaxRetries = 0 });
        using var recorder = new MeasurementRecorder(Assert.IsType<TelemetryChatClient>(client).Metrics.Meter);

        var (first, _) = await ChatRun.AskAsync(client, streaming);
        var (second, _) = await ChatRun.AskAsync(client, streaming);

        Assert.Equal(1, provider.Calls);
        Assert.Equal("cached answer", second.Text);
        Assert.Equal(first.ModelId, second.ModelId);
        Assert.Equal("a", second.ModelId);
        Assert.Equal(2, recorder.Of(TelemetryConstants.Requests).Sum(m => m.Value)); // the hit is still measured
        Assert.Equal(1, recorder.Of(CacheTelemetryConstants.Hits).Sum(m => m.Value));
        Assert.NotNull(client.GetService<ResponseCachingChatClient>());
        Assert.NotNull(client.GetService<CoalescingChatClient>());
    }

    [Fact]
    public async Task Cache_over_coalescing_under_parallel_load_answers_every_caller_with_its_own_prompt_s_answer()
    {
        var provider = new FakeChatClient { Respond = (_, list, _, _) => CacheTestStreams.Stop(list[^1].Text, "|answer") };
        using var client = new ChatPipelineBuilder(provider).UseResponseCache().UseCoalescing().Build();
        var ct = TestContext.Current.CancellationToken;

        await Parallel.ForAsync(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
        {
            var prompt = "prompt " + (i % 10).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var (response, _) = await ChatRun.AskCancellableAsync(client, i % 2 == 0, token, [new ChatMessage(ChatRole.User, prompt)]);
            Assert.Equal(prompt + "|answer", response.Text);
        });

        Assert.InRange(provider.Calls, 10, 400);
        Assert.Equal(10, client.GetService<ResponseCachingChatClient>()!.Cache.Count);
        Assert.Equal(0, client.GetService<CoalescingChatClient>()!.InFlightCount);

        // Once stored, nothing reaches the provider any more.
        var calls = provider.Calls;
        await ChatRun.AskAsync(client, true, [new ChatMessage(ChatRole.User, "prompt 3")]);
        Assert.Equal(calls, provider.Calls);
    }

    [Fact]
    public void Settings_bind_from_configuration_and_bad_values_name_the_setting()
    {
        var good = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Llm:Cache:MaxBytes"] = "1048576",
            ["Llm:Cache:BypassGuildIds:0"] = "1234567890123456789",
            ["Llm:Cache:TimeSensitivePatterns:0"] = @"\bstock\b",
            ["Llm:Coalescing:MaxInFlight"] = "7",
        }).Build();
        using (var services = new ServiceCollection().AddCordialLlm(good).BuildServiceProvider())
        {
            var cache = services.GetRequiredService<IOptions<CacheOptions>>().Value;
            Assert.Equal(1048576, cache.MaxBytes);
            Assert.Equal([1234567890123456789UL], cache.BypassGuildIds);
            Assert.Equal([@"\bstock\b"], cache.TimeSensitivePatterns!);
            Assert.Equal(7, services.GetRequiredService<IOptions<CoalescingOptions>>().Value.MaxInFlight);
        }

        var bad = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Llm:Cache:TimeToLive"] = "00:00:00",
            ["Llm:Coalescing:MaxBufferedUpdates"] = "0",
        }).Build();
        using var badServices = new ServiceCollection().AddCordialLlm(bad).BuildServiceProvider();
        var cacheError = Assert.Throws<OptionsValidationException>(() => badServices.GetRequiredService<IOptions<CacheOptions>>().Value);
        Assert.Contains("Llm:Cache:TimeToLive", cacheError.Message, StringComparison.Ordinal);
        var coalescingError = Assert.Throws<OptionsValidationException>(() => badServices.GetRequiredService<IOptions<CoalescingOptions>>().Value);
        Assert.Contains("Llm:Coalescing:MaxBufferedUpdates", coalescingError.Message, StringComparison.Ordinal);
    }
}
