using Microsoft.Extensions.AI;

namespace Cordial.Benchmarks.Llm;

/// <summary>A provider stand-in that answers instantly from pre-built updates (no I/O, no awaits).</summary>
internal sealed class InMemoryChatClient : IChatClient
{
    private readonly ChatResponseUpdate[] _updates;
    private readonly ChatResponse _response;

    public InMemoryChatClient(int tokens)
    {
        _updates = new ChatResponseUpdate[tokens + 1];
        for (var i = 0; i < tokens; i++)
        {
            _updates[i] = new ChatResponseUpdate(ChatRole.Assistant, "tok ");
        }

        _updates[tokens] = new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = 10, OutputTokenCount = tokens })])
        {
            FinishReason = ChatFinishReason.Stop,
        };
        _response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "answer"))
        {
            Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = tokens },
        };
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(_response);

#pragma warning disable CS1998 // deliberately synchronous: measures the pipeline, not the provider
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
#pragma warning restore CS1998
    {
        foreach (var update in _updates)
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
