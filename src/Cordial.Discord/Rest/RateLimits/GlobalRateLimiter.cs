namespace Cordial.Discord.Rest.RateLimits;

/// <summary>
/// The per-token global limit (Discord: 50 requests per second). A permit is held while its request is in
/// flight and comes back one window after the response arrived: the server saw the request somewhere between
/// send and response, so no window of the server's clock can ever hold more than <c>limit</c> of our requests.
/// A global 429 pauses every request until its retry-after has passed.
/// </summary>
/// <remarks>
/// Thread-safe, FIFO, allocation-free when a permit is free. A best-effort caller (a typing indicator) is refused at
/// once when the callers ahead of it already claim every permit that can be granted within its longest wait.
/// </remarks>
internal sealed class GlobalRateLimiter : FifoLimiter<bool>
{
    private readonly int _limit;
    private readonly long _window;
    private readonly Queue<long> _returns;
    private int _inFlight;
    private long _pausedUntil;

    public GlobalRateLimiter(TimeProvider timeProvider, int limit, TimeSpan window)
        : base(timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        _limit = limit;
        _window = (long)(window.TotalSeconds * timeProvider.TimestampFrequency);
        _returns = new Queue<long>(limit);
        _pausedUntil = long.MinValue;
    }

    public int Limit => _limit;

    protected override bool TryGrantLocked(long now, out bool ticket)
    {
        while (_returns.TryPeek(out var at) && at <= now)
        {
            _returns.Dequeue();
        }

        ticket = true;
        if (now < _pausedUntil || _inFlight + _returns.Count >= _limit)
        {
            return false;
        }

        _inFlight++;
        return true;
    }

    protected override long NextWakeLocked(long now)
    {
        if (now < _pausedUntil)
        {
            return _pausedUntil;
        }

        return _returns.TryPeek(out var at) ? at : long.MaxValue;
    }

    /// <summary>
    /// Within one window a permit is granted at most once: the permits in flight come back a window after their response
    /// (the client gives none back unsent), not before the deadline, and neither do those coming back at or after it;
    /// every other permit might be granted in time. A longer wait is bounded by each permit being granted at most once per window. Nothing is granted before a
    /// global 429's retry-after has passed.
    /// </summary>
    protected override bool CouldGrantBeforeLocked(long now, long deadline, int ahead)
    {
        if (_pausedUntil > now && _pausedUntil >= deadline)
        {
            return false;
        }

        var wait = deadline - now;
        if (wait > _window)
        {
            return ahead < (long)_limit * ((wait + _window - 1) / _window);
        }

        var capacity = _limit - _inFlight;
        foreach (var at in _returns)
        {
            if (at > now && at >= deadline)
            {
                capacity--;
            }
        }

        return ahead < capacity;
    }

    /// <summary>The request was sent (whatever the outcome): its permit returns one window from now.</summary>
    public void Release(bool sent)
    {
        lock (Gate)
        {
            var now = TimeProvider.GetTimestamp();
            _inFlight = Math.Max(0, _inFlight - 1);
            if (sent)
            {
                _returns.Enqueue(now + _window);
            }

            PumpLocked(now);
        }
    }

    /// <summary>A global 429: nothing is sent before <paramref name="retryAfter"/> has passed.</summary>
    public void PauseFor(TimeSpan retryAfter)
    {
        lock (Gate)
        {
            var now = TimeProvider.GetTimestamp();
            _pausedUntil = Math.Max(_pausedUntil, now + (long)(retryAfter.TotalSeconds * TimeProvider.TimestampFrequency));
            PumpLocked(now);
        }
    }
}
