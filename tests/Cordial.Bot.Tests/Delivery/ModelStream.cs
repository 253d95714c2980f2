using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.AI;

namespace Cordial.Bot.Tests.Delivery;

/// <summary>A model stream the test feeds by hand; records how far the reader got.</summary>
internal sealed class ModelStream
{
    private readonly Channel<ChatResponseUpdate> _channel = Channel.CreateUnbounded<ChatResponseUpdate>();
    private Exception? _failure;
    private int _consumed;
    private volatile bool _reachedEnd;
    private volatile bool _cancelled;

    public string ModelId { get; init; } = "sim-small";

    public int Consumed => Volatile.Read(ref _consumed);

    /// <summary>The reader took every update and saw the end (or the failure).</summary>
    public bool ReachedEnd => _reachedEnd;

    /// <summary>The reader's cancellation token was cancelled while reading.</summary>
    public bool Cancelled => _cancelled;

    public void Write(string text) => Write(new ChatResponseUpdate(ChatRole.Assistant, text) { ModelId = ModelId });

    public void Write(ChatResponseUpdate update) => _channel.Writer.TryWrite(update);

    public void WriteReasoning(string text) =>
        Write(new ChatResponseUpdate(ChatRole.Assistant, [new TextReasoningContent(text)]) { ModelId = ModelId });

    public void WriteUsage(long outputTokens) =>
        Write(new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = 10, OutputTokenCount = outputTokens })])
        {
            ModelId = ModelId,
            FinishReason = ChatFinishReason.Stop,
        });

    public void Complete() => _channel.Writer.TryComplete();

    public void Fail(Exception exception)
    {
        _failure = exception;
        _channel.Writer.TryComplete();
    }

    public async IAsyncEnumerable<ChatResponseUpdate> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Checked when the reader leaves, not through a token registration: cancellation callbacks run newest first, so
        // the channel's own wake-up can end this iterator and unregister a callback before it ever runs.
        try
        {
            while (await _channel.Reader.WaitToReadAsync(cancellationToken))
            {
                while (_channel.Reader.TryRead(out var update))
                {
                    Interlocked.Increment(ref _consumed);
                    yield return update;
                }
            }
        }
        finally
        {
            if (cancellationToken.IsCancellationRequested)
            {
                _cancelled = true;
            }
        }

        _reachedEnd = true;
        if (_failure is not null)
        {
            throw _failure;
        }
    }

    /// <summary>A finished stream of the given text chunks.</summary>
    public static ModelStream Of(IEnumerable<string> chunks)
    {
        var stream = new ModelStream();
        foreach (var chunk in chunks)
        {
            stream.Write(chunk);
        }

        stream.Complete();
        return stream;
    }

    public static IEnumerable<string> Chunks(string text, int size)
    {
        for (var i = 0; i < text.Length; i += size)
        {
            yield return text.Substring(i, Math.Min(size, text.Length - i));
        }
    }
}
