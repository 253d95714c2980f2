namespace Cordial.Hosting;

/// <summary>
/// Runs work items with the items of one key one after another, in the order they were given, and different keys side
/// by side: a slow item holds up its own key only. At most <c>maxConcurrent</c> items run at once and at most
/// <c>capacity</c> wait or run; <see cref="EnqueueAsync"/> waits for room (backpressure, nothing dropped).
/// </summary>
/// <remarks>
/// Thread-safe for any number of producers. Memory is bounded by <c>capacity</c>: a key is held only while it has
/// items. <c>handle</c> must not throw (it is the caller's place to log and count failures). The item of an idle key
/// starts on the giver's thread and runs there up to its first wait; later items of a busy key run where the one
/// before them ended.
/// </remarks>
internal sealed class KeyedSerialScheduler<T> : IDisposable
{
    private readonly Func<T, Task> _handle;
    private readonly SemaphoreSlim _room;
    private readonly SemaphoreSlim _running;
    private readonly Lock _gate = new();

    // Per key, the items not yet started; a key is present exactly while a drain task runs for it.
    private readonly Dictionary<ulong, Queue<T>> _pending = [];
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _completed;

    public KeyedSerialScheduler(int maxConcurrent, int capacity, Func<T, Task> handle)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrent, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentNullException.ThrowIfNull(handle);
        _handle = handle;
        _room = new SemaphoreSlim(capacity, capacity);
        _running = new SemaphoreSlim(maxConcurrent, maxConcurrent);
    }

    /// <summary>Completes once <see cref="Complete"/> was called and every item given before it was handled.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Keys that currently have items waiting or running.</summary>
    public int ActiveKeys
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Gives an item; returns once there was room for it (not when it was handled).</summary>
    /// <exception cref="InvalidOperationException"><see cref="Complete"/> was called.</exception>
    public async ValueTask EnqueueAsync(ulong key, T item, CancellationToken cancellationToken)
    {
        await _room.WaitAsync(cancellationToken);
        lock (_gate)
        {
            if (_completed)
            {
                _room.Release();
                throw new InvalidOperationException("The scheduler was completed; it takes no more items.");
            }

            if (_pending.TryGetValue(key, out var queue))
            {
                queue.Enqueue(item); // its drain task is running and will reach it
                return;
            }

            queue = new Queue<T>();
            queue.Enqueue(item);
            _pending.Add(key, queue);
        }

        // Started here, not queued: the first item runs on the caller's thread up to its first wait (under load a trip
        // through the thread pool's queue was the largest part of a message's time before the model request).
        _ = DrainAsync(key);
    }

    /// <summary>No more items will be given; <see cref="Completion"/> completes when the given ones are handled.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            SignalIfDoneLocked();
        }
    }

    private async Task DrainAsync(ulong key)
    {
        while (true)
        {
            T next;
            lock (_gate)
            {
                if (!_pending[key].TryDequeue(out next!))
                {
                    _pending.Remove(key);
                    SignalIfDoneLocked();
                    return;
                }
            }

            await _running.WaitAsync(CancellationToken.None);
            try
            {
                await _handle(next);
            }
            finally
            {
                _running.Release();
                _room.Release();
            }
        }
    }

    private void SignalIfDoneLocked()
    {
        if (_completed && _pending.Count == 0)
        {
            _completion.TrySetResult();
        }
    }

    /// <summary>Call after <see cref="Completion"/> completed.</summary>
    public void Dispose()
    {
        _room.Dispose();
        _running.Dispose();
    }
}
