namespace Cordial.Discord.Rest.RateLimits;

/// <summary>
/// The waiting half of every rate limiter: callers that cannot be served now queue in arrival order and are
/// served first-in first-out when the subclass says a grant is possible (after a response or at a timer).
/// A caller gives its <see cref="RequestPriority"/>: urgent callers (reads a model request waits on) are served before
/// normal ones, and deferrable callers (an edit that a later edit would overtake anyway, a typing indicator) after
/// every other waiting caller, but never longer than <see cref="MaxDeferral"/> behind them — so under saturation
/// conversations are read first, replies start next, and their edits still land.
/// </summary>
/// <remarks>
/// Thread-safe. The uncontended path takes one short lock and returns a completed <see cref="ValueTask{T}"/>
/// without allocating. Waiters are completed under the lock with asynchronous continuations, so no user code
/// ever runs under it. The queue is bounded by <see cref="MaxWaiters"/>.
/// </remarks>
internal abstract class FifoLimiter<TTicket> : IDisposable
{
    /// <summary>Upper bound of callers queued on one limiter; more is a caller bug (unbounded fan-out).</summary>
    public const int MaxWaiters = 100_000;

    /// <summary>Longest time a deferrable caller lets later, non-deferrable callers go first.</summary>
    public static readonly TimeSpan MaxDeferral = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan MinimumTimerDelay = TimeSpan.FromMilliseconds(1);

    private readonly Queue<Waiter> _urgent = new();
    private readonly Queue<Waiter> _waiters = new();
    private readonly Queue<Waiter> _deferred = new();
    private readonly long _maxDeferral;
    private ITimer? _timer;
    private long _timerDueAt = long.MaxValue;
    private bool _disposed;

    protected FifoLimiter(TimeProvider timeProvider)
    {
        TimeProvider = timeProvider;
        _maxDeferral = (long)(MaxDeferral.TotalSeconds * timeProvider.TimestampFrequency);
    }

    protected Lock Gate { get; } = new();

    protected TimeProvider TimeProvider { get; }

    /// <summary>Callers currently waiting (including ones cancelled but not yet swept).</summary>
    public int QueueLength
    {
        get
        {
            lock (Gate)
            {
                return _urgent.Count + _waiters.Count + _deferred.Count;
            }
        }
    }

    /// <summary>Tries to grant one caller now. Called under <see cref="Gate"/>.</summary>
    protected abstract bool TryGrantLocked(long now, out TTicket ticket);

    /// <summary>
    /// The timestamp at which time alone could make a grant possible, or <see cref="long.MaxValue"/> when only
    /// a response can. Called under <see cref="Gate"/> when callers wait.
    /// </summary>
    protected abstract long NextWakeLocked(long now);

    public ValueTask<TTicket> AcquireAsync(CancellationToken cancellationToken) => AcquireAsync(RequestPriority.Normal, cancellationToken);

    /// <param name="priority">Which waiting callers this one passes, and which pass it.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public ValueTask<TTicket> AcquireAsync(RequestPriority priority, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (Gate)
        {
            var now = TimeProvider.GetTimestamp();
            if (HasWaitersLocked)
            {
                PumpLocked(now);
            }

            // Nobody who should go first is waiting: a caller passes the lanes below its own.
            var ahead = priority switch
            {
                RequestPriority.Urgent => _urgent.Count,
                RequestPriority.Normal => _urgent.Count + _waiters.Count,
                _ => _urgent.Count + _waiters.Count + _deferred.Count,
            };
            if (ahead == 0 && TryGrantLocked(now, out var ticket))
            {
                return new ValueTask<TTicket>(ticket);
            }

            ObjectDisposedException.ThrowIf(_disposed, this);
            cancellationToken.ThrowIfCancellationRequested();
            if (_urgent.Count + _waiters.Count + _deferred.Count >= MaxWaiters)
            {
                throw new InvalidOperationException($"More than {MaxWaiters} requests are queued on one Discord rate-limit bucket.");
            }

            waiter = new Waiter(this, now);
            (priority switch { RequestPriority.Urgent => _urgent, RequestPriority.Normal => _waiters, _ => _deferred }).Enqueue(waiter);
            ScheduleLocked(now);
        }

        return WaitAsync(waiter, cancellationToken);
    }

    private static async ValueTask<TTicket> WaitAsync(Waiter waiter, CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.UnsafeRegister(static (state, token) => ((Waiter)state!).Cancel(token), waiter);
        }

        try
        {
            return await waiter.Completion.Task;
        }
        finally
        {
            await waiter.Registration.DisposeAsync();
        }
    }

    /// <summary>Serves queued callers that can be served now, then arms the timer for the rest. Call under <see cref="Gate"/>.</summary>
    protected void PumpLocked(long now)
    {
        while (NextLocked(now) is { } queue)
        {
            if (!TryGrantLocked(now, out var ticket))
            {
                break;
            }

            queue.Dequeue().Completion.TrySetResult(ticket);
        }

        ScheduleLocked(now);
    }

    /// <summary>
    /// The queue whose head is served next (cancelled heads swept first): a deferred caller that waited past
    /// <see cref="MaxDeferral"/>, else the first urgent caller, else the first normal one, else the first deferred one;
    /// null when none waits.
    /// </summary>
    private Queue<Waiter>? NextLocked(long now)
    {
        SweepLocked(_urgent);
        SweepLocked(_waiters);
        SweepLocked(_deferred);
        if (_deferred.TryPeek(out var deferred) && (now - deferred.EnqueuedAt >= _maxDeferral || _urgent.Count + _waiters.Count == 0))
        {
            return _deferred;
        }

        return _urgent.Count > 0 ? _urgent : _waiters.Count > 0 ? _waiters : null;
    }

    private static void SweepLocked(Queue<Waiter> queue)
    {
        while (queue.TryPeek(out var head) && head.Completion.Task.IsCompleted)
        {
            queue.Dequeue();
        }
    }

    /// <summary>Pumps from outside the lock (after state changed).</summary>
    protected void Pump()
    {
        lock (Gate)
        {
            PumpLocked(TimeProvider.GetTimestamp());
        }
    }

    protected bool HasWaitersLocked => _urgent.Count + _waiters.Count + _deferred.Count > 0;

    private void ScheduleLocked(long now)
    {
        if (!HasWaitersLocked || _disposed)
        {
            return;
        }

        var due = NextWakeLocked(now);
        if (due == long.MaxValue || due >= _timerDueAt)
        {
            return;
        }

        _timerDueAt = due;
        var delay = TimeProvider.GetElapsedTime(now, due);
        if (delay < MinimumTimerDelay)
        {
            delay = MinimumTimerDelay;
        }

        if (_timer is null)
        {
            _timer = TimeProvider.CreateTimer(static state => ((FifoLimiter<TTicket>)state!).OnTimer(), this, delay, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnTimer()
    {
        lock (Gate)
        {
            _timerDueAt = long.MaxValue;
            PumpLocked(TimeProvider.GetTimestamp());
        }
    }

    public void Dispose()
    {
        lock (Gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _timer?.Dispose();
            _timer = null;
            foreach (var waiter in _urgent.Concat(_waiters).Concat(_deferred))
            {
                waiter.Completion.TrySetException(new ObjectDisposedException(GetType().Name));
            }

            _urgent.Clear();
            _waiters.Clear();
            _deferred.Clear();
        }
    }

    private sealed class Waiter(FifoLimiter<TTicket> owner, long enqueuedAt)
    {
        public long EnqueuedAt { get; } = enqueuedAt;

        public TaskCompletionSource<TTicket> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }

        public void Cancel(CancellationToken token)
        {
            lock (owner.Gate)
            {
                Completion.TrySetCanceled(token);
            }
        }
    }
}
