namespace Cordial.Bot.Diagnostics;

/// <summary>A copy of a <see cref="LatencyHistogram"/>'s buckets, to read counts and percentiles from. Immutable.</summary>
public sealed class LatencyHistogramSnapshot
{
    private readonly long[] _counts;

    internal LatencyHistogramSnapshot(long[] counts, long maxNanoseconds)
    {
        _counts = counts;
        long total = 0;
        foreach (var count in counts)
        {
            total += count;
        }

        Count = total;
        MaxNanoseconds = total == 0 ? 0 : maxNanoseconds;
    }

    /// <summary>Values recorded.</summary>
    public long Count { get; }

    /// <summary>The largest value recorded (exact), in nanoseconds; 0 when empty.</summary>
    public long MaxNanoseconds { get; }

    /// <summary>
    /// The value at percentile <paramref name="percentile"/> (0–100) by the nearest-rank rule, in nanoseconds: the
    /// midpoint of the bucket holding the ⌈p/100 × count⌉-th smallest value (never above the maximum); 0 when empty.
    /// </summary>
    public double PercentileNanoseconds(double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        if (Count == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * Count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                var midpoint = LatencyHistogram.LowerBound(i) + ((LatencyHistogram.Width(i) - 1) / 2.0);
                return Math.Min(midpoint, MaxNanoseconds);
            }
        }

        return MaxNanoseconds;
    }

    /// <summary>The non-empty buckets, lowest first: the largest value of each (nanoseconds) and its count.</summary>
    public IEnumerable<(long UpperBoundNanoseconds, long Count)> Buckets()
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            if (_counts[i] > 0)
            {
                yield return (LatencyHistogram.LowerBound(i) + LatencyHistogram.Width(i) - 1, _counts[i]);
            }
        }
    }
}
