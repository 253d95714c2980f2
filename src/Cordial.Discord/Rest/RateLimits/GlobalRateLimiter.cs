namespace Cordial.Discord.Rest.RateLimits;

/// <summary>
/// The per-token global limit (Discord: 50 requests per second). A permit is held while its request is in
/// flight and comes back one window after the response arrived: the server saw the request somewhere between
/// send and response, so no window of the server's clock can ever hold more than <c>limit</c> of our requests.
/// A global 429 pauses every request until its retry-after has passed.
/// </summary>
/// <remarks>Thread-safe, FIFO, allocation-free when a permit is free.</remarks>
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
