namespace Cordial.LoadTest;

/// <summary>
/// Durations in milliseconds, kept exactly (up to <see cref="Capacity"/>; later ones are counted but not kept) for
/// nearest-rank percentiles. Thread-safe.
/// </summary>
internal sealed class LatencySamples
{
    public const int Capacity = 2_000_000;

    /// <summary>Upper bounds (ms) of the histogram buckets the reports draw; the last bucket is open.</summary>
    public static IReadOnlyList<double> BucketBounds { get; } =
        [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000];

    private readonly List<double> _values = [];
    private readonly Lock _gate = new();
    private long _dropped;

    public void Add(double milliseconds)
    {
        lock (_gate)
        {
            if (_values.Count < Capacity)
            {
                _values.Add(milliseconds);
            }
            else
            {
                _dropped++;
            }
        }
    }

    public LatencySummary Summarize()
    {
        double[] sorted;
        long dropped;
        lock (_gate)
        {
            sorted = [.. _values];
            dropped = _dropped;
        }

        Array.Sort(sorted);
        var buckets = new long[BucketBounds.Count + 1];
        foreach (var value in sorted)
        {
            var i = 0;
            while (i < BucketBounds.Count && value > BucketBounds[i])
            {
                i++;
            }

            buckets[i]++;
        }

        return new LatencySummary(
            sorted.Length,
            sorted.Length == 0 ? null : Percentile(sorted, 50),
            sorted.Length == 0 ? null : Percentile(sorted, 95),
            sorted.Length == 0 ? null : Percentile(sorted, 99),
            sorted.Length == 0 ? null : sorted[^1],
            sorted.Length == 0 ? null : sorted.Average(),
            dropped,
            [.. buckets.Select((count, i) => new HistogramBucket(i < BucketBounds.Count ? BucketBounds[i] : null, count))]);
    }

    /// <summary>Nearest-rank percentile of an ascending, non-empty array: the smallest value with at least p % of the values at or below it.</summary>
    public static double Percentile(IReadOnlyList<double> ascending, double percent)
    {
        ArgumentOutOfRangeException.ThrowIfZero(ascending.Count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        var rank = (int)Math.Ceiling(percent / 100 * ascending.Count);
        return ascending[Math.Clamp(rank, 1, ascending.Count) - 1];
    }
}
