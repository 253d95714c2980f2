using BenchmarkDotNet.Attributes;
using Cordial.Llm.Configuration;
using Cordial.Llm.Providers;
using Microsoft.Extensions.AI;

namespace Cordial.Benchmarks.Llm;

/// <summary>
/// Writing the OpenAI-compatible request body of a 25-message conversation with a system prompt (what the provider
/// client does after the pipeline, before the HTTP send): the step after MessageCreateToRequestBenchmarks' end.
/// Run: dotnet run -c Release --project bench/Cordial.Benchmarks -- --filter *OpenAIRequestBody* --job short --inProcess
/// </summary>
[MemoryDiagnoser]
public class OpenAIRequestBodyBenchmarks
{
    private readonly ModelOptions _model = new() { Provider = "emulator", ModelId = "sim-small", Temperature = 0.7, MaxOutputTokens = 800 };
    private readonly ChatOptions _options = new() { Instructions = "You are Cordial, a helpful assistant in the Discord server Bench Guild, channel #general. Answer briefly." };
    private RequestCustomization _customization = null!;
    private List<ChatMessage> _messages = null!;

    [GlobalSetup]
    public void Setup()
    {
        _customization = new RequestCustomization(new ProviderOptions(), _model);
        _messages = [];
        for (var i = 0; i < 25; i++)
        {
            var user = i % 2 == 0;
            _messages.Add(user
                ? new ChatMessage(ChatRole.User, $"Question {i}: how would you structure a small service that reads events from a queue, retries failures and reports metrics?") { AuthorName = "ana" }
                : new ChatMessage(ChatRole.Assistant, $"Answer {i}: keep one reader loop, hand each event to a bounded channel, retry with jittered backoff, and count successes, failures and latency in a histogram."));
        }
    }

    [Benchmark]
    public int Write25Messages() =>
        OpenAIRequestWriter.Write("sim-small", _messages, _options, _model, _customization, stream: true).Length;
}
