using System.Threading.Tasks.Sources;

namespace Cordial.Bot.Delivery;

/// <summary>
/// The wake-up of one reply's delivery loop: the reader sets it for each piece of text, the loop waits for it, with or
/// without a time limit. Auto-reset; one waiter at a time.
/// </summary>
/// <remarks>
/// Waiting allocates nothing (a <see cref="ValueTask{TResult}"/> over one reused source), a time limit that passes is a
/// result (<see langword="false"/>), not an exception, and the cancellation token and the timer are set up once per
/// reply (the timer at the first wait with a time limit: a reply that never paces an edit has none). A bounded channel
/// cost a promise and a cancellation registration per token, and each paced edit a timer, a linked token source and a
/// thrown <see cref="OperationCanceledException"/> (docs/PERFORMANCE.md, sixth session).
/// The waiter continues on the thread pool, never on the thread that set the signal.
/// </remarks>
internal sealed class WakeSignal : IValueTaskSource<bool>, IDisposable
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private ITimer? _timer; // made by the first wait with a time limit
    private readonly CancellationToken _cancellation;
    private readonly CancellationTokenRegistration _registration;
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private bool _set;      // set while nobody waited: the next wait returns at once
    private bool _waiting;  // a wait is pending; whoever clears it (set, deadline, cancellation) completes it
    private long _deadline = long.MaxValue; // of the pending wait, in _time timestamps

    /// <summary>Creates the signal of one reply.</summary>
    /// <param name="time">Clock of the time limits.</param>
    /// <param name="cancellation">Cancels a pending wait (and every later one) with <see cref="OperationCanceledException"/>.</param>
    public WakeSignal(TimeProvider time, CancellationToken cancellation)
    {
        _time = time;
        _cancellation = cancellation;
        _registration = cancellation.UnsafeRegister(static state => ((WakeSignal)state!).OnCancelled(), this);
    }

    /// <summary>Wakes the waiter, or the next wait when nobody waits now.</summary>
    public void Set()
    {
        lock (_gate)
        {
            if (!_waiting)
            {
                _set = true;
                return;
            }

            _waiting = false;
        }

        _core.SetResult(true);
    }

    /// <summary>Waits until the signal is set (true) or <paramref name="timeout"/> has passed (false).</summary>
    /// <param name="timeout">The longest wait; null waits without a limit; zero or less only takes a signal already set.</param>
    /// <exception cref="OperationCanceledException">The token given at creation was cancelled.</exception>
    /// <exception cref="InvalidOperationException">Another wait is still pending.</exception>
    public ValueTask<bool> WaitAsync(TimeSpan? timeout = null)
    {
        short version;
        lock (_gate)
        {
            if (_waiting)
            {
                throw new InvalidOperationException("The signal has one waiter at a time.");
            }

            if (_cancellation.IsCancellationRequested)
            {
                return ValueTask.FromCanceled<bool>(_cancellation);
            }

            if (_set)
            {
                _set = false;
                return new ValueTask<bool>(true);
            }

            if (timeout is { } limit && limit <= TimeSpan.Zero)
            {
                return new ValueTask<bool>(false);
            }

            _core.Reset(); // the previous wait's result was taken: its awaiter called GetResult before this wait
            version = _core.Version;
            _deadline = timeout is { } t ? _time.GetTimestamp() + (long)(t.TotalSeconds * _time.TimestampFrequency) : long.MaxValue;
            _waiting = true;
            if (timeout is { } due)
            {
                // Under the lock, so a late callback's re-arm cannot overtake it.
                _timer ??= _time.CreateTimer(static state => ((WakeSignal)state!).OnDeadline(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _timer.Change(due, Timeout.InfiniteTimeSpan);
            }
        }

        return new ValueTask<bool>(this, version);
    }

    public void Dispose()
    {
        _registration.Dispose();
        lock (_gate)
        {
            _timer?.Dispose();
        }
    }

    private void OnDeadline()
    {
        lock (_gate)
        {
            if (!_waiting || _deadline == long.MaxValue)
            {
                return; // no wait, or one without a time limit: the timer was armed for an earlier wait
            }

            // Only the pending wait's own deadline counts: a timer armed for an earlier wait may fire during a newer
            // one, and a timer may fire a little before the clock's deadline (millisecond ticks); then wait the rest.
            var now = _time.GetTimestamp();
            if (now < _deadline)
            {
                _timer!.Change(_time.GetElapsedTime(now, _deadline), Timeout.InfiniteTimeSpan);
                return;
            }

            _waiting = false;
        }

        _core.SetResult(false);
    }

    private void OnCancelled()
    {
        lock (_gate)
        {
            if (!_waiting)
            {
                return;
            }

            _waiting = false;
        }

        _core.SetException(new OperationCanceledException(_cancellation));
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
