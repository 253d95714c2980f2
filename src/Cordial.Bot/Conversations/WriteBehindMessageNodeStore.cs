using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Cordial.Bot.Conversations;

/// <summary>
/// Takes node writes off the path from a message to its model request: <see cref="PutAsync"/> and
/// <see cref="DeleteAsync"/> return at once, and one background loop hands whatever has gathered meanwhile to the inner
/// store in order (consecutive puts as one batch, so one transaction). Reads see writes not yet made.
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe. At most <see cref="QueueCapacity"/> operations wait; beyond that a writer waits for room (memory stays
/// bounded when the database is slow). A write that fails is logged and dropped: the node stays in the cache in front,
/// and Discord remains the source of any message the store lacks (an unknown parent is read from it once).
/// </para>
/// <para>
/// While writes keep coming the loop looks for them every <see cref="GatherInterval"/> instead of waiting on the queue:
/// a put then never wakes a thread. On two cores the woken writer often took the putting thread's core (Linux runs a
/// freshly woken thread first), and the message waited for a database transaction before its model request: in the
/// 1,000-user load test one put in twenty took 0.3 ms instead of 10 µs (docs/PERFORMANCE.md, twelfth session). After
/// a quiet interval the loop waits on the queue again, so an idle bot does not poll.
/// </para>
/// <para>Disposing writes everything still queued; a killed process loses at most the writes of the last moments.</para>
/// </remarks>
public sealed partial class WriteBehindMessageNodeStore : IMessageNodeStore, IAsyncDisposable
{
    /// <summary>Operations that may wait to be written.</summary>
    public const int QueueCapacity = 10_000;

    /// <summary>Most nodes handed to the inner store in one call.</summary>
    public const int MaxBatch = 256;

    /// <summary>How long the loop lets writes gather after writing, before it looks again.</summary>
    public static readonly TimeSpan GatherInterval = TimeSpan.FromMilliseconds(50);

    private readonly IMessageNodeStore _inner;
    private readonly ILogger _logger;
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly Lock _gate = new();
    private readonly Dictionary<ulong, Pending> _pending = []; // the latest unwritten operation per message
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    /// <summary>Starts the write loop.</summary>
    /// <param name="inner">Where the writes go.</param>
    /// <param name="logger">Where failed writes are reported.</param>
    /// <param name="timeProvider">The clock of <see cref="GatherInterval"/>; default <see cref="TimeProvider.System"/>.</param>
    public WriteBehindMessageNodeStore(IMessageNodeStore inner, ILogger<WriteBehindMessageNodeStore> logger, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(logger);
        _inner = inner;
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
        _loop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Operations accepted and not yet written.</summary>
    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    public ValueTask<MessageNode?> GetAsync(ulong messageId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_pending.TryGetValue(messageId, out var pending))
            {
                return ValueTask.FromResult(pending.Node); // null for a deletion not yet written
            }
        }

        return _inner.GetAsync(messageId, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<MessageNode>> GetChainAsync(ulong messageId, int maxNodes, CancellationToken cancellationToken)
    {
        var chain = new List<MessageNode>();
        ulong? next = messageId;
        lock (_gate)
        {
            // The newest messages of a conversation may not be written yet.
            while (next is { } id && chain.Count < maxNodes && _pending.TryGetValue(id, out var pending))
            {
                if (pending.Node is not { } node)
                {
                    return chain; // deleted, though not yet in the database
                }

                chain.Add(node);
                next = node.ParentId;
            }
        }

        if (next is not { } stored || chain.Count == maxNodes)
        {
            return chain;
        }

        var older = await _inner.GetChainAsync(stored, maxNodes - chain.Count, cancellationToken);
        lock (_gate)
        {
            foreach (var node in older)
            {
                if (_pending.TryGetValue(node.Id, out var pending))
                {
                    // Edited or deleted since it was written: the newer state wins and the chain ends there (the rest
                    // is read again, node by node, if the walk gets that far).
                    if (pending.Node is not null)
                    {
                        chain.Add(pending.Node);
                    }

                    break;
                }

                chain.Add(node);
            }
        }

        return chain;
    }

    public async Task PutAsync(IReadOnlyList<MessageNode> nodes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        foreach (var node in nodes)
        {
            await EnqueueAsync(new Pending(node.Id, node), cancellationToken);
        }
    }

    public Task DeleteAsync(ulong messageId, CancellationToken cancellationToken) =>
        EnqueueAsync(new Pending(messageId, Node: null), cancellationToken).AsTask();

    public Task SetResetAsync(ulong channelId, ulong userId, ulong messageId, CancellationToken cancellationToken) =>
        _inner.SetResetAsync(channelId, userId, messageId, cancellationToken);

    public ValueTask<ulong> GetResetAsync(ulong channelId, ulong userId, CancellationToken cancellationToken) =>
        _inner.GetResetAsync(channelId, userId, cancellationToken);

    public Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        _inner.DeleteOlderThanAsync(cutoff, cancellationToken); // queued nodes are new: retention never concerns them

    /// <summary>Stops accepting writes and writes everything still queued.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_queue.Writer.TryComplete())
        {
            await _stopping.CancelAsync(); // no more gathering: what is queued is written now
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _stopping.Dispose();
        }
        else
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private ValueTask EnqueueAsync(Pending pending, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _pending[pending.Id] = pending;
        }

        return _queue.Writer.TryWrite(pending) ? ValueTask.CompletedTask : _queue.Writer.WriteAsync(pending, cancellationToken);
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        var puts = new List<Pending>(MaxBatch);
        while (await reader.WaitToReadAsync())
        {
            while (puts.Count < MaxBatch && reader.TryRead(out var next))
            {
                if (next.Node is not null)
                {
                    puts.Add(next);
                    continue;
                }

                await WritePutsAsync(puts); // a deletion must follow the puts queued before it
                await WriteAsync(() => _inner.DeleteAsync(next.Id, CancellationToken.None), [next]);
            }

            await WritePutsAsync(puts);
            if (!reader.TryPeek(out _) && !_stopping.IsCancellationRequested)
            {
                // Not woken by each put (see the remarks): the queue is looked at again after the interval.
                await Task.Delay(GatherInterval, _time, _stopping.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task WritePutsAsync(List<Pending> puts)
    {
        lock (_gate)
        {
            // A node put again before its first put was written (an answer's message stored when created, then with its
            // final text) is written once, by the newer put, which is behind it in the queue.
            puts.RemoveAll(put => !(_pending.TryGetValue(put.Id, out var latest) && ReferenceEquals(latest, put)));
        }

        if (puts.Count == 0)
        {
            return;
        }

        var nodes = new MessageNode[puts.Count];
        for (var i = 0; i < nodes.Length; i++)
        {
            nodes[i] = puts[i].Node!;
        }

        await WriteAsync(() => _inner.PutAsync(nodes, CancellationToken.None), puts);
        puts.Clear();
    }

    private async Task WriteAsync(Func<Task> write, IReadOnlyList<Pending> written)
    {
        try
        {
            await write();
        }
        catch (Exception ex)
        {
            Log.WriteFailed(_logger, ex, written.Count);
        }

        lock (_gate)
        {
            foreach (var pending in written)
            {
                // Only if nothing newer for the same message was accepted meanwhile.
                if (_pending.TryGetValue(pending.Id, out var latest) && ReferenceEquals(latest, pending))
                {
                    _pending.Remove(pending.Id);
                }
            }
        }
    }

    /// <summary>A node to write, or (Node null) a message whose node is to be deleted.</summary>
    private sealed record Pending(ulong Id, MessageNode? Node);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Storing {Count} conversation nodes failed; they stay cached, and Discord still has the messages")]
        public static partial void WriteFailed(ILogger logger, Exception exception, int count);
    }
}
