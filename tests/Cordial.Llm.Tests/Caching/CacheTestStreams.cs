using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Cordial.Llm.Tests.Caching;

/// <summary>Complete answers (with finish reason and usage), as a provider streams them.</summary>
internal static class CacheTestStreams
{
    public static async IAsyncEnumerable<ChatResponseUpdate> Answer(string model, ChatFinishReason? finish, long input, long output, params string[] tokens)
    {
        await Task.Yield();
        foreach (var token in tokens)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, token) { ModelId = model };
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output })])
        {
            ModelId = model,
            FinishReason = finish,
        };
    }

    public static IAsyncEnumerable<ChatResponseUpdate> Stop(params string[] tokens) => Answer("m", ChatFinishReason.Stop, 10, tokens.Length, tokens);

    /// <summary>Streams <paramref name="first"/>, waits for <paramref name="gate"/>, then streams <paramref name="rest"/> and stops (or throws <paramref name="failure"/>).</summary>
    public static async IAsyncEnumerable<ChatResponseUpdate> Gated(Task gate, string first, string[] rest, Exception? failure = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        yield return new ChatResponseUpdate(ChatRole.Assistant, first) { ModelId = "m" };
        await gate.WaitAsync(cancellationToken);
        if (failure is not null)
        {
            throw failure;
        }

        foreach (var token in rest)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, token) { ModelId = "m" };
        }

        yield return new ChatResponseUpdate { ModelId = "m", FinishReason = ChatFinishReason.Stop };
    }
}
