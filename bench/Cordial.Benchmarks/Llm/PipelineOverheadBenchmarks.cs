using BenchmarkDotNet.Attributes;
using Cordial.Llm.Caching;
using Cordial.Llm.Coalescing;
using Cordial.Llm.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Cordial.Llm.Resilience;
using Microsoft.Extensions.AI;

namespace Cordial.Benchmarks.Llm;

/// <summary>
/// Cost of the LLM middleware (telemetry → tools → fallback → resilience → router) over an in-memory provider.
/// Per streamed token: (Stream_Pipeline − Stream_Raw) / Tokens. Per request: Request_Pipeline − Request_Raw.
/// No MeterListener is attached (instruments disabled), as in a process without a metrics exporter.
/// The response cache and coalescing are switched off: every call here would otherwise be a cache hit. Their own
/// costs (hit lookup, request key) are measured in Caching/ResponseCacheBenchmarks.
/// </summary>
[MemoryDiagnoser]
public class PipelineOverheadBenchmarks
{
    private readonly List<ChatMessage> _messages = [new(ChatRole.System, "You are terse."), new(ChatRole.User, "hello")];
    private readonly ChatOptions _options = new() { ModelId = "bench" };
    private InMemoryChatClient _raw = null!;
    private IChatClient _pipeline = null!;

    [Params(1, 100)]
    public int Tokens { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _raw = new InMemoryChatClient(Tokens);
        var routing = new ModelRouting(
            model => model ?? "bench",
            _ => "bench-provider",
            _ => [],
            _ => (_raw, "bench-model"));
        var services = new ServiceCollection()
            .Configure<CacheOptions>(o => o.Enabled = false)
            .Configure<CoalescingOptions>(o => o.Enabled = false)
            .BuildServiceProvider();
        _pipeline = LlmPipelineFactory.Create(routing, services, new LlmResilienceOptions());
    }

    [GlobalCleanup]
    public void Cleanup() => _pipeline.Dispose();

    [Benchmark(Baseline = true)]
    public async Task<int> Stream_Raw() => await DrainAsync(_raw);

    [Benchmark]
    public async Task<int> Stream_Pipeline() => await DrainAsync(_pipeline);

    [Benchmark]
    public async Task<ChatResponse> Request_Raw() => await _raw.GetResponseAsync(_messages, _options);

    [Benchmark]
    public async Task<ChatResponse> Request_Pipeline() => await _pipeline.GetResponseAsync(_messages, _options);

    private async Task<int> DrainAsync(IChatClient client)
    {
        var count = 0;
        await foreach (var update in client.GetStreamingResponseAsync(_messages, _options))
        {
            count += update.Contents.Count;
        }

        return count;
    }
}
