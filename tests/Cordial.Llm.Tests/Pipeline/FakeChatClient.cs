using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Cordial.Llm.Tests.Pipeline;

/// <summary>
/// An in-memory <see cref="IChatClient"/> whose behaviour is a delegate per call: the delegate receives the call
/// number (1-based), the messages and the options, and returns the updates to stream (the non-streaming path
/// coalesces them). Records every call.
/// </summary>
internal sealed class FakeChatClient : IChatClient
{
    private int _calls;

    public Func<int, IList<ChatMessage>, ChatOptions?, CancellationToken, IAsyncEnumerable<ChatResponseUpdate>> Respond { get; set; } =
        (_, _, _, _) => FakeStreams.Text("ok");

    public int Calls => Volatile.Read(ref _calls);

    public ConcurrentQueue<RecordedCall> Recorded { get; } = new();

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in Start(messages, options, cancellationToken).WithCancellation(cancellationToken))
        {
            updates.Add(update);
        }

        return updates.ToChatResponse();
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Start(messages, options, cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    private IAsyncEnumerable<ChatResponseUpdate> Start(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _calls);
        var list = messages.ToList();
        Recorded.Enqueue(new RecordedCall(call, list, options, options?.ModelId));
        return Respond(call, list, options, cancellationToken);
    }

    internal sealed record RecordedCall(int Number, List<ChatMessage> Messages, ChatOptions? Options, string? ModelId);
}

/// <summary>Update sequences for <see cref="FakeChatClient"/>.</summary>
internal static class FakeStreams
{
    public static async IAsyncEnumerable<ChatResponseUpdate> Text(params string[] tokens)
    {
        await Task.Yield();
        foreach (var token in tokens)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, token);
        }
    }

    /// <summary>Fails before producing anything.</summary>
    public static async IAsyncEnumerable<ChatResponseUpdate> Fail(Exception exception)
    {
        await Task.Yield();
        if (exception is not null)
        {
            throw exception;
        }

        yield break;
    }

    /// <summary>Streams <paramref name="tokens"/>, then fails.</summary>
    public static async IAsyncEnumerable<ChatResponseUpdate> TextThenFail(Exception exception, params string[] tokens)
    {
        foreach (var token in tokens)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, token);
        }

        throw exception;
    }

    /// <summary>Never produces anything; ends only by cancellation.</summary>
    public static async IAsyncEnumerable<ChatResponseUpdate> Hang([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        yield break;
    }

    public static IAsyncEnumerable<ChatResponseUpdate> Updates(params ChatResponseUpdate[] updates) => Of(updates);

    public static LlmProviderException Error(LlmFailureKind kind, TimeSpan? retryAfter = null, string? model = null) =>
        new(kind, $"fake {kind}") { RetryAfter = retryAfter, Model = model, Provider = "fake" };

    private static async IAsyncEnumerable<ChatResponseUpdate> Of(ChatResponseUpdate[] updates)
    {
        await Task.Yield();
        foreach (var update in updates)
        {
            yield return update;
        }
    }
}
