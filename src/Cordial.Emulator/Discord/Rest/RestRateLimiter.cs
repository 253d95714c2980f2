namespace Cordial.Emulator.Discord.Rest;

/// <summary>
/// Fixed-window counters as Discord applies them: a window opens at the first request and allows
/// <c>limit</c> requests until it ends. Rejected requests do not consume. Thread-safe; bounded.
/// </summary>
internal sealed class RestRateLimiter(DiscordEmulatorOptions options, TimeProvider time)
{
    private const int MaxWindows = 50_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Window> _windows = new(StringComparer.Ordinal);

    public RateLimitDecision AcquireGlobal(string token) =>
        Acquire("global:" + token, options.GlobalRequestsPerSecond, TimeSpan.FromSeconds(1));

    public RateLimitDecision Acquire(string key, int limit, TimeSpan window)
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            if (!_windows.TryGetValue(key, out var state))
            {
                if (_windows.Count >= MaxWindows)
                {
                    Prune(now);
                }

                state = new Window { Start = now };
                _windows[key] = state;
            }

            var elapsed = time.GetElapsedTime(state.Start, now);
            if (elapsed >= window)
            {
                state.Start = now;
                state.Count = 0;
                state.Length = window;
                elapsed = TimeSpan.Zero;
            }

            state.Length = window;
            var resetAfter = window - elapsed;
            var resetAt = time.GetUtcNow() + resetAfter;
            if (state.Count >= limit)
            {
                return new RateLimitDecision(false, limit, 0, resetAfter, resetAt);
            }

            state.Count++;
            return new RateLimitDecision(true, limit, limit - state.Count, resetAfter, resetAt);
        }
    }

    private void Prune(long now)
    {
        foreach (var (key, value) in _windows.ToList())
        {
            if (time.GetElapsedTime(value.Start, now) >= value.Length)
            {
                _windows.Remove(key);
            }
        }

        if (_windows.Count >= MaxWindows)
        {
            _windows.Clear();
        }
    }

    private sealed class Window
    {
        public long Start { get; set; }
        public int Count { get; set; }
        public TimeSpan Length { get; set; }
    }
}
