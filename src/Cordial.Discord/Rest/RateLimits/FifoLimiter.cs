using System.Runtime.CompilerServices;

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
/// <para>
/// Thread-safe. The uncontended path takes one short lock and returns a completed <see cref="ValueTask{T}"/>
/// without allocating. Waiters are completed under the lock with asynchronous continuations, so no user code
/// ever runs under it. The queue is bounded by <see cref="MaxWaiters"/>.
/// </para>
/// <para>
/// A best-effort caller (<see cref="TryAcquireBeforeAsync"/>) gives a deadline. It is refused at once, without queueing,
/// when the subclass says its permit clearly cannot come in time (<see cref="CouldGrantBeforeLocked"/>); once queued it
/// is refused when its deadline passes. A refused waiter leaves the queue as a cancelled one does (skipped where it
/// stands, counted out of <see cref="QueueLength"/> at once): it took no permit, so nobody else's order or permits
/// change. Deadlines share the limiter's one timer.
/// </para>
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
    private PriorityQueue<Waiter, long>? _deadlines; // best-effort waiters by deadline; finished ones are dropped lazily
    private int _liveUrgent;
    private int _liveNormal;
    private int _liveDeferred;
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

    /// <summary>Callers currently waiting (cancelled and refused ones no longer count).</summary>
    public int QueueLength
    {
        get
        {
            lock (Gate)
            {
                return _liveUrgent + _liveNormal + _liveDeferred;
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

    /// <summary>
    /// False when a caller with <paramref name="ahead"/> callers served before it clearly cannot be granted before
    /// <paramref name="deadline"/> (it is then refused without queueing); true when it might be. Called under <see cref="Gate"/>.
    /// </summary>
    protected abstract bool CouldGrantBeforeLocked(long now, long deadline, int ahead);

    public ValueTask<TTicket> AcquireAsync(CancellationToken cancellationToken) => AcquireAsync(RequestPriority.Normal, cancellationToken);

    /// <param name="priority">Which waiting callers this one passes, and which pass it.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public ValueTask<TTicket> AcquireAsync(RequestPriority priority, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (Gate)
        {
            var now = TimeProvider.GetTimestamp();
            if (TryGrantNowLocked(priority, now, out var ticket))
            {
                return new ValueTask<TTicket>(ticket);
            }

            ObjectDisposedException.ThrowIf(_disposed, this);
            cancellationToken.ThrowIfCancellationRequested();
            if (_urgent.Count + _waiters.Count + _deferred.Count >= MaxWaiters)
            {
                throw new InvalidOperationException($"More than {MaxWaiters} requests are queued on one Discord rate-limit bucket.");
            }

            waiter = EnqueueLocked(priority, now, deadline: long.MaxValue);
        }

        return WaitAsync(waiter, cancellationToken);
    }

    /// <summary>
    /// Acquires a permit for a best-effort caller that would rather go without than wait longer than <paramref name="maxWait"/>.
    /// </summary>
    /// <param name="priority">Which waiting callers this one passes, and which pass it.</param>
    /// <param name="maxWait">The longest wait; <see cref="TimeSpan.Zero"/>: only a permit free now.</param>
    /// <param name="cancellationToken">Stops waiting (throws, as for <see cref="AcquireAsync(RequestPriority, CancellationToken)"/>).</param>
    /// <returns>See <see cref="TryAcquireBeforeAsync"/>.</returns>
    public ValueTask<(bool Granted, TTicket Ticket)> TryAcquireAsync(RequestPriority priority, TimeSpan maxWait, CancellationToken cancellationToken) =>
        TryAcquireBeforeAsync(priority, DeadlineAfter(TimeProvider, maxWait), cancellationToken);

    /// <summary>Acquires a permit for a best-effort caller that would rather go without than wait past <paramref name="deadline"/>.</summary>
    /// <param name="priority">Which waiting callers this one passes, and which pass it.</param>
    /// <param name="deadline">The latest grant, a <see cref="TimeProvider"/> timestamp (<see cref="DeadlineAfter"/>).</param>
    /// <param name="cancellationToken">Stops waiting (throws, as for <see cref="AcquireAsync(RequestPriority, CancellationToken)"/>).</param>
    /// <returns>
    /// Granted with its ticket; or not granted (no permit taken, nothing thrown): at once, without queueing, when the permit
    /// clearly cannot come before <paramref name="deadline"/>, else when the deadline has passed while it waited.
    /// Completes synchronously without allocating when a permit is free or when refused at once.
    /// </returns>
    public ValueTask<(bool Granted, TTicket Ticket)> TryAcquireBeforeAsync(RequestPriority priority, long deadline, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (Gate)
        {
            var now = TimeProvider.GetTimestamp();
            if (TryGrantNowLocked(priority, now, out var ticket))
            {
                return new ValueTask<(bool, TTicket)>((true, ticket));
            }

            ObjectDisposedException.ThrowIf(_disposed, this);
            cancellationToken.ThrowIfCancellationRequested();
            if (deadline <= now
                || _urgent.Count + _waiters.Count + _deferred.Count >= MaxWaiters
                || !CouldGrantBeforeLocked(now, deadline, LiveAheadLocked(priority)))
            {
                return new ValueTask<(bool, TTicket)>((false, default!));
            }

            waiter = EnqueueLocked(priority, now, deadline);
        }

        return WaitWithinAsync(waiter, cancellationToken);
    }

    /// <summary>
    /// Whether <see cref="TryAcquireBeforeAsync"/> with these arguments might be granted (false: it would be refused at once).
    /// Takes nothing and queues nothing: a check before acquiring permits elsewhere that would be given back.
    /// </summary>
    public bool CouldGrantBefore(RequestPriority priority, long deadline)
    {
        lock (Gate)
        {
            return CouldGrantBeforeLocked(TimeProvider.GetTimestamp(), deadline, LiveAheadLocked(priority));
        }
    }

    /// <summary>The <paramref name="time"/> timestamp <paramref name="maxWait"/> from now (a best-effort caller's deadline).</summary>
    public static long DeadlineAfter(TimeProvider time, TimeSpan maxWait)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWait, TimeSpan.Zero);
        return time.GetTimestamp() + (long)Math.Min(maxWait.TotalSeconds * time.TimestampFrequency, long.MaxValue / 4);
    }

    /// <summary>Grants at once when nobody who goes first waits and a permit is free. Under <see cref="Gate"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // the uncontended path of both acquires
    private bool TryGrantNowLocked(RequestPriority priority, long now, out TTicket ticket)
    {
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
        if (ahead == 0)
        {
            return TryGrantLocked(now, out ticket);
        }

        ticket = default!;
        return false;
    }

    /// <summary>Callers still waiting that are served before a new caller of <paramref name="priority"/>. Under <see cref="Gate"/>.</summary>
    private int LiveAheadLocked(RequestPriority priority) => priority switch
    {
        RequestPriority.Urgent => _liveUrgent,
        RequestPriority.Normal => _liveUrgent + _liveNormal,
        _ => _liveUrgent + _liveNormal + _liveDeferred,
    };

    private Waiter EnqueueLocked(RequestPriority priority, long now, long deadline)
    {
        var waiter = new Waiter(this, now, priority);
        switch (priority)
        {
            case RequestPriority.Urgent:
                _urgent.Enqueue(waiter);
                _liveUrgent++;
                break;
            case RequestPriority.Normal:
                _waiters.Enqueue(waiter);
                _liveNormal++;
                break;
            default:
                _deferred.Enqueue(waiter);
                _liveDeferred++;
                break;
        }

        if (deadline != long.MaxValue)
        {
            (_deadlines ??= new()).Enqueue(waiter, deadline);
        }

        ScheduleLocked(now);
        return waiter;
    }

    /// <summary>A waiter stopped waiting (granted, cancelled or refused). Under <see cref="Gate"/>.</summary>
    private void LeftLocked(Waiter waiter)
    {
        switch (waiter.Lane)
        {
            case RequestPriority.Urgent:
                _liveUrgent--;
                break;
            case RequestPriority.Normal:
                _liveNormal--;
                break;
            default:
                _liveDeferred--;
                break;
        }
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

    private static async ValueTask<(bool Granted, TTicket Ticket)> WaitWithinAsync(Waiter waiter, CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.UnsafeRegister(static (state, token) => ((Waiter)state!).Cancel(token), waiter);
        }

        try
        {
            var ticket = await waiter.Completion.Task;
            return (!waiter.Refused, ticket);
        }
        finally
        {
            await waiter.Registration.DisposeAsync();
        }
    }

    /// <summary>
    /// Refuses best-effort callers whose deadline has come, serves queued callers that can be served now, then arms the
    /// timer for the rest. Call under <see cref="Gate"/>.
    /// </summary>
    protected void PumpLocked(long now)
    {
        if (_deadlines is { Count: > 0 })
        {
            RefuseExpiredLocked(now);
        }

        while (NextLocked(now) is { } queue)
        {
            if (!TryGrantLocked(now, out var ticket))
            {
                break;
            }

            var waiter = queue.Dequeue();
            LeftLocked(waiter);
            waiter.Completion.TrySetResult(ticket);
        }

        if (_deadlines is { Count: > 0 } && !HasWaitersLocked)
        {
            _deadlines.Clear(); // every waiter has finished
        }

        ScheduleLocked(now);
    }

    /// <summary>
    /// Completes as refused every best-effort waiter whose deadline is not after <paramref name="now"/>. It stays in its
    /// lane, finished, until it reaches the head and is swept, like a cancelled waiter: the order of the others is untouched.
    /// </summary>
    private void RefuseExpiredLocked(long now)
    {
        while (_deadlines!.TryPeek(out var waiter, out var deadline) && (deadline <= now || waiter.Completion.Task.IsCompleted))
        {
            _deadlines.Dequeue();
            if (!waiter.Completion.Task.IsCompleted)
            {
                waiter.Refused = true;
                LeftLocked(waiter);
                waiter.Completion.TrySetResult(default!);
            }
        }
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
        if (_deadlines is not null && _deadlines.TryPeek(out _, out var deadline) && deadline < due)
        {
            due = deadline;
        }

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
            _deadlines?.Clear();
            _liveUrgent = _liveNormal = _liveDeferred = 0;
        }
    }

    private sealed class Waiter(FifoLimiter<TTicket> owner, long enqueuedAt, RequestPriority lane)
    {
        public long EnqueuedAt { get; } = enqueuedAt;

        public RequestPriority Lane { get; } = lane;

        public TaskCompletionSource<TTicket> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }

        /// <summary>Completed without a permit: its deadline passed (set under the gate before completion).</summary>
        public bool Refused { get; set; }

        public void Cancel(CancellationToken token)
        {
            lock (owner.Gate)
            {
                if (Completion.TrySetCanceled(token))
                {
                    owner.LeftLocked(this);
                }
            }
        }
    }
}
