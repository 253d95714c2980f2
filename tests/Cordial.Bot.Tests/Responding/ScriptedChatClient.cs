using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Cordial.Bot.Tests.Responding;

/// <summary>An IChatClient whose every streaming call is answered by <see cref="Respond"/>; it records calls and concurrency.</summary>
internal sealed class ScriptedChatClient : IChatClient
{
    private int _inFlight;
    private int _maxInFlight;

    public Func<IReadOnlyList<ChatMessage>, ChatOptions?, CancellationToken, IAsyncEnumerable<ChatResponseUpdate>> Respond { get; set; } =
        (messages, _, ct) => Words("You said: " + messages[^1].Text, ct);

    public List<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Calls { get; } = [];

    /// <summary>Whether calls are kept in <see cref="Calls"/> (off for a test of what the bot lets go of).</summary>
    public bool RecordCalls { get; set; } = true;

    /// <summary>Shown each request's messages (the bot's own message objects) as it arrives.</summary>
    public Action<IReadOnlyList<ChatMessage>>? Received { get; set; }

    public int MaxConcurrentCalls => Volatile.Read(ref _maxInFlight);

    public static async IAsyncEnumerable<ChatResponseUpdate> Words(string text, [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var word in text.Split(' '))
        {
            ct.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, word == text.Split(' ')[0] ? word : " " + word);
        }
    }

    public static async IAsyncEnumerable<ChatResponseUpdate> Hang([EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Delay(Timeout.Infinite, ct);
        yield break;
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        Received?.Invoke(list);
        if (RecordCalls)
        {
            lock (Calls)
            {
                Calls.Add((list, options));
            }
        }

        var now = Interlocked.Increment(ref _inFlight);
        InterlockedMax(ref _maxInFlight, now);
        try
        {
            await foreach (var update in Respond(list, options, cancellationToken).WithCancellation(cancellationToken))
            {
                yield return update;
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            updates.Add(update);
        }

        return updates.ToChatResponse();
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
