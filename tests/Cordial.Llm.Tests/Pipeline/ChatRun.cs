using Microsoft.Extensions.AI;

namespace Cordial.Llm.Tests.Pipeline;

/// <summary>Runs a request streaming or not, so stage tests are written once as a <c>bool streaming</c> theory.</summary>
internal static class ChatRun
{
    public static Task<(ChatResponse Response, List<ChatResponseUpdate> Updates)> AskAsync(
        IChatClient client, bool streaming, IEnumerable<ChatMessage>? messages = null, ChatOptions? options = null) =>
        AskCancellableAsync(client, streaming, TestContext.Current.CancellationToken, messages, options);

    public static async Task<(ChatResponse Response, List<ChatResponseUpdate> Updates)> AskCancellableAsync(
        IChatClient client, bool streaming, CancellationToken cancellationToken, IEnumerable<ChatMessage>? messages = null, ChatOptions? options = null)
    {
        messages ??= [new ChatMessage(ChatRole.User, "hello")];

        if (!streaming)
        {
            return (await client.GetResponseAsync(messages, options, cancellationToken), []);
        }

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            updates.Add(update);
        }

        return (updates.ToChatResponse(), updates);
    }

    /// <summary>Streams and records what the caller saw before a failure.</summary>
    public static async Task<(List<ChatResponseUpdate> Seen, Exception? Error)> StreamUntilFailureAsync(IChatClient client, ChatOptions? options = null)
    {
        var seen = new List<ChatResponseUpdate>();
        try
        {
            await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hello")], options, TestContext.Current.CancellationToken))
            {
                seen.Add(update);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (seen, ex);
        }

        return (seen, null);
    }

    /// <summary>Advances the manual clock step by step until <paramref name="done"/> holds (bounded by wall time for a failing test).</summary>
    public static async Task AdvanceUntilAsync(ManualTimeProvider time, Func<bool> done, TimeSpan step, string what)
    {
        await Eventually.UntilAsync(
            () =>
            {
                if (done())
                {
                    return true;
                }

                time.Advance(step);
                return done();
            },
            what);
    }
}

/// <summary>An enumerable that fails when enumerated twice (inputs must be enumerated once).</summary>
internal sealed class EnumeratedOnce<T>(IEnumerable<T> items) : IEnumerable<T>
{
    private int _enumerations;

    public IEnumerator<T> GetEnumerator()
    {
        if (Interlocked.Increment(ref _enumerations) > 1)
        {
            throw new InvalidOperationException("Enumerated more than once.");
        }

        return items.GetEnumerator();
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
