namespace Cordial.Discord.Gateway;

/// <summary>
/// Keeps one connection under Discord's outbound limit (120 payloads per 60 s, else close 4008). A sliding log of
/// send times: no window of <c>window</c> length ever holds more than <c>limit</c> sends. The last
/// <c>reservedForHeartbeats</c> slots are only for heartbeats, so presence updates can never starve them.
/// Callers over the limit wait (asynchronously) until a slot frees.
/// </summary>
/// <remarks>Thread-safe; no lock is held across an await.</remarks>
internal sealed class GatewaySendLimiter
{
    /// <summary>Discord's limit.</summary>
    public const int DiscordLimit = 120;

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly int _limit;
    private readonly int _reserved;
    private readonly TimeSpan _window;
    private readonly long[] _sentAt;
    private int _head;
    private int _count;

    public GatewaySendLimiter(TimeProvider time, int limit, int reservedForHeartbeats, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(reservedForHeartbeats);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(reservedForHeartbeats, limit);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        _time = time;
        _limit = limit;
        _reserved = reservedForHeartbeats;
        _window = window;
        _sentAt = new long[limit];
    }

    /// <summary>120 per 61 s (a one-second margin for network jitter), 2 reserved for heartbeats.</summary>
    public static GatewaySendLimiter CreateDefault(TimeProvider time) => new(time, DiscordLimit, 2, TimeSpan.FromSeconds(61));

    /// <summary>Sends recorded in the current window.</summary>
    public int InWindow
    {
        get
        {
            lock (_gate)
            {
                Purge(_time.GetTimestamp());
                return _count;
            }
        }
    }

    /// <summary>Waits for a slot and takes it.</summary>
    public ValueTask WaitAsync(bool heartbeat, CancellationToken cancellationToken)
    {
        var wait = TryTake(heartbeat);
        return wait == TimeSpan.Zero ? ValueTask.CompletedTask : new ValueTask(WaitSlowAsync(heartbeat, wait, cancellationToken));
    }

    private async Task WaitSlowAsync(bool heartbeat, TimeSpan wait, CancellationToken cancellationToken)
    {
        while (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken);
            wait = TryTake(heartbeat);
        }
    }

    /// <summary>Takes a slot and returns zero, or returns how long until one may free.</summary>
    private TimeSpan TryTake(bool heartbeat)
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            Purge(now);
            var allowed = heartbeat ? _limit : _limit - _reserved;
            if (_count < allowed)
            {
                _sentAt[(_head + _count) % _limit] = now;
                _count++;
                return TimeSpan.Zero;
            }

            // The slot frees when the (count - allowed)th oldest send leaves the window.
            var oldest = _sentAt[(_head + _count - allowed) % _limit];
            // Whole milliseconds, at least one: timers round sub-millisecond delays down to zero, which would spin.
            var wait = _window - _time.GetElapsedTime(oldest, now);
            return TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(wait.TotalMilliseconds)));
        }
    }

    private void Purge(long now)
    {
        while (_count > 0 && _time.GetElapsedTime(_sentAt[_head], now) >= _window)
        {
            _head = (_head + 1) % _limit;
            _count--;
        }
    }
}
