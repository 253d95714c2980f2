using System.Numerics;

namespace Cordial.Bot.Diagnostics;

/// <summary>
/// A fixed-size, log-linear histogram of durations, recorded in nanoseconds: values below 32 ns each have their own
/// bucket; above, every power of two is split into 32 equal buckets, so a bucket is at most 1/32 (3.1 %) of its lower
/// bound wide and a percentile read from bucket midpoints is within 1.6 % of the exact value. Values up to
/// 2^42 ns (about 73 minutes) are told apart; longer ones count in the last bucket. 1,248 buckets, 10 KB.
/// </summary>
/// <remarks>
/// Thread-safe and lock-free: <see cref="Record(TimeSpan)"/> is one bucket computation and one
/// <see cref="Interlocked.Increment(ref long)"/> (plus a rare compare-exchange when the maximum grows), and allocates
/// nothing. <see cref="Snapshot"/> copies the buckets (values recorded during the copy may or may not be in it);
/// <see cref="Reset"/> zeroes them (a value recorded during a reset may survive it).
/// </remarks>
public sealed class LatencyHistogram
{
    /// <summary>Buckets per power of two (and the number of exact buckets below the first power split).</summary>
    internal const int SubBuckets = 32;

    private const int SubBucketBits = 5;

    /// <summary>The highest power of two told apart (2^42 ns ≈ 73 min).</summary>
    private const int MaxExponent = 42;

    /// <summary>Total number of buckets.</summary>
    internal const int BucketCount = (MaxExponent - SubBucketBits + 2) * SubBuckets;

    private readonly long[] _counts = new long[BucketCount];
    private long _max;

    /// <summary>Records one duration (negative durations count as zero).</summary>
    public void Record(TimeSpan duration) =>
        RecordNanoseconds(duration.Ticks <= 0 ? 0 : duration.Ticks > long.MaxValue / 100 ? long.MaxValue : duration.Ticks * 100);

    /// <summary>Records one duration given in nanoseconds (negative values count as zero).</summary>
    public void RecordNanoseconds(long nanoseconds)
    {
        var value = Math.Max(nanoseconds, 0);
        Interlocked.Increment(ref _counts[BucketOf(value)]);
        var max = Volatile.Read(ref _max);
        while (value > max)
        {
            var seen = Interlocked.CompareExchange(ref _max, value, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    /// <summary>Zeroes every bucket and the maximum.</summary>
    public void Reset()
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            Interlocked.Exchange(ref _counts[i], 0);
        }

        Interlocked.Exchange(ref _max, 0);
    }

    /// <summary>A consistent-enough copy to read percentiles from (allocates the copy).</summary>
    public LatencyHistogramSnapshot Snapshot()
    {
        var counts = new long[BucketCount];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Volatile.Read(ref _counts[i]);
        }

        return new LatencyHistogramSnapshot(counts, Volatile.Read(ref _max));
    }

    /// <summary>The bucket a value (nanoseconds, not negative) falls in.</summary>
    internal static int BucketOf(long value)
    {
        if (value < SubBuckets)
        {
            return (int)value;
        }

        var exponent = 63 - BitOperations.LeadingZeroCount((ulong)value);
        if (exponent > MaxExponent)
        {
            return BucketCount - 1;
        }

        var shift = exponent - SubBucketBits;
        return ((shift + 1) * SubBuckets) + (int)((value >> shift) - SubBuckets);
    }

    /// <summary>The smallest value of a bucket (nanoseconds).</summary>
    internal static long LowerBound(int bucket)
    {
        if (bucket < SubBuckets)
        {
            return bucket;
        }

        var shift = (bucket / SubBuckets) - 1;
        return (long)(SubBuckets + (bucket % SubBuckets)) << shift;
    }

    /// <summary>The width of a bucket (nanoseconds): values from <see cref="LowerBound"/> to lower bound + width − 1.</summary>
    internal static long Width(int bucket) => bucket < SubBuckets ? 1 : 1L << ((bucket / SubBuckets) - 1);
}
