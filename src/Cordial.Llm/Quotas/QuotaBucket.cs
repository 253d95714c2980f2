namespace Cordial.Llm.Quotas;

/// <summary>
/// The arithmetic of one limit, kept as a single number: the instant (UTC ticks) at which its bucket is full again.
/// </summary>
/// <remarks>
/// <para>
/// Why a token bucket in this form (the "generic cell rate algorithm") rather than a sliding window: a limit of L per
/// window W is a bucket of L tokens refilled continuously at L per W, and its whole state is one <see cref="long"/>
/// ("full at"): every use pushes it later by <c>cost × W / L</c>. A check is a handful of integer operations (O(1),
/// no allocation), the state of a user is four longs (10,000 users fit in about 2 MB with their map), the exact time
/// a refused request may be sent again falls out of the same number, and a value written to the store stays true
/// after a restart because it is an absolute time, not a count relative to a window. A sliding window needs a
/// timestamp per request (unbounded) or an approximation with two counters, whose "retry after" is itself an
/// approximation and which refuses a limit of 1 for two windows. The cost of the bucket: it allows a burst of L at
/// once and then L per W, so any single window of length W can see up to 2L − 1 requests (the full bucket plus what
/// refills during it). Fixed calendar windows would have the same burst at their boundary.
/// </para>
/// <para>Not thread-safe: callers hold the lock of the <see cref="QuotaEntry"/> the value belongs to.</para>
/// </remarks>
internal static class QuotaBucket
{
    /// <summary>How far ahead of now "full at" may be pushed (tokens reported far beyond a limit); keeps the arithmetic in range.</summary>
    private const long MaxDebtTicks = 366 * TimeSpan.TicksPerDay;

    /// <summary>The window of a limit.</summary>
    public static long WindowTicks(QuotaLimit limit) =>
        limit is QuotaLimit.RequestsPerMinute or QuotaLimit.TokensPerMinute ? TimeSpan.TicksPerMinute : TimeSpan.TicksPerDay;

    /// <summary>The bucket time one use of <paramref name="amount"/> costs (rounded up).</summary>
    public static long Cost(long amount, long window, long limit)
    {
        if (amount <= 0)
        {
            return 0;
        }

        if (amount <= (long.MaxValue - limit) / window)
        {
            return Math.Min(((amount * window) + limit - 1) / limit, MaxDebtTicks);
        }

        var cost = (((Int128)amount * window) + limit - 1) / limit;
        return cost > MaxDebtTicks ? MaxDebtTicks : (long)cost;
    }

    /// <summary>
    /// Whether anything is left (a token limit refuses a request only once it is at or over the limit: the actual
    /// cost is known after the answer). Otherwise <paramref name="wait"/> is how long until something is left.
    /// </summary>
    public static bool HasRoom(long fullAt, long now, long window, out long wait)
    {
        var over = fullAt - now - window;
        if (over >= 0)
        {
            wait = over + 1;
            return false;
        }

        wait = 0;
        return true;
    }

    /// <summary>Charges <paramref name="amount"/> after the fact (may push the bucket past empty: the debt is waited off).</summary>
    public static long Charge(long fullAt, long now, long window, long limit, long amount)
    {
        var start = Math.Max(fullAt, now);
        return Math.Min(start + Cost(amount, window, limit), now + MaxDebtTicks);
    }

    /// <summary>Whole units left in the bucket now (0 when at or over the limit).</summary>
    public static long Remaining(long fullAt, long now, long window, long limit)
    {
        var used = Math.Max(fullAt - now, 0);
        if (used >= window)
        {
            return 0;
        }

        return (long)((Int128)(window - used) * limit / window);
    }
}
