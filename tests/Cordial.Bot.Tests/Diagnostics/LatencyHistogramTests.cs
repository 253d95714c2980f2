using Cordial.Bot.Diagnostics;

namespace Cordial.Bot.Tests.Diagnostics;

public sealed class LatencyHistogramTests
{
    private static readonly double[] Percentiles = [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 100];

    /// <summary>The nearest-rank percentile of a sorted list: the ⌈p/100 × n⌉-th smallest value.</summary>
    private static long Exact(long[] sorted, double percentile) =>
        sorted[Math.Max(1, (long)Math.Ceiling(percentile / 100 * sorted.Length)) - 1];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Percentiles_are_within_the_bucket_error_of_the_exact_values(int seed)
    {
        // Log-uniform from 1 ns to 10 minutes, plus exact small values: every bucket family is exercised.
        var random = new Random(seed);
        var values = Enumerable.Range(0, 20_000)
            .Select(_ => (long)Math.Exp(random.NextDouble() * Math.Log(600e9)))
            .Concat(Enumerable.Range(0, 40).Select(i => (long)i))
            .ToArray();
        var histogram = new LatencyHistogram();
        foreach (var value in values)
        {
            histogram.RecordNanoseconds(value);
        }

        Array.Sort(values);
        var snapshot = histogram.Snapshot();
        Assert.Equal(values.Length, snapshot.Count);
        Assert.Equal(values[^1], snapshot.MaxNanoseconds);
        foreach (var p in Percentiles)
        {
            var exact = Exact(values, p);
            var estimate = snapshot.PercentileNanoseconds(p);
            Assert.True(Math.Abs(estimate - exact) <= exact / 64.0, $"p{p}: exact {exact} ns, histogram {estimate} ns");
        }
    }

    [Fact]
    public void Percentiles_of_a_narrow_distribution_stay_within_two_percent()
    {
        // Typical overhead figures: tens to hundreds of microseconds, with a few slow ones.
        var random = new Random(7);
        var values = Enumerable.Range(0, 5_000).Select(_ => 20_000 + (long)(random.NextDouble() * 200_000)).Concat([5_000_000, 9_000_000]).ToArray();
        var histogram = new LatencyHistogram();
        foreach (var value in values)
        {
            histogram.Record(TimeSpan.FromTicks(value / 100));
        }

        Array.Sort(values);
        var snapshot = histogram.Snapshot();
        foreach (var p in Percentiles)
        {
            var exact = Exact(values, p) / 100 * 100; // TimeSpan ticks are 100 ns
            Assert.True(Math.Abs(snapshot.PercentileNanoseconds(p) - exact) <= exact * 0.02, $"p{p}");
        }
    }

    [Fact]
    public void Every_value_falls_in_exactly_one_contiguous_bucket()
    {
        long expectedLower = 0;
        for (var bucket = 0; bucket < LatencyHistogram.BucketCount; bucket++)
        {
            var lower = LatencyHistogram.LowerBound(bucket);
            var width = LatencyHistogram.Width(bucket);
            Assert.Equal(expectedLower, lower);
            Assert.Equal(bucket, LatencyHistogram.BucketOf(lower));
            Assert.Equal(bucket, LatencyHistogram.BucketOf(lower + width - 1));
            Assert.True(width == 1 || width * 32 <= lower, $"bucket {bucket} is wider than 1/32 of its lower bound");
            expectedLower = lower + width;
        }

        Assert.True(expectedLower >= (long)TimeSpan.FromMinutes(60).TotalNanoseconds, "values up to an hour are told apart");
    }

    [Fact]
    public void Values_beyond_the_range_and_below_zero_are_counted_not_lost()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(TimeSpan.FromDays(3));
        histogram.Record(TimeSpan.FromTicks(-5));
        histogram.RecordNanoseconds(long.MaxValue);

        var snapshot = histogram.Snapshot();
        Assert.Equal(3, snapshot.Count);
        Assert.Equal(long.MaxValue, snapshot.MaxNanoseconds);
        Assert.Equal(0, snapshot.PercentileNanoseconds(1));
        Assert.Equal([1L, 2L], snapshot.Buckets().Select(b => b.Count));
    }

    [Fact]
    public void An_empty_histogram_reads_zero_and_has_no_buckets()
    {
        var snapshot = new LatencyHistogram().Snapshot();
        Assert.Equal(0, snapshot.Count);
        Assert.Equal(0, snapshot.PercentileNanoseconds(99));
        Assert.Empty(snapshot.Buckets());
    }

    [Fact]
    public void Buckets_list_the_non_empty_ones_with_their_upper_bounds_and_counts()
    {
        var histogram = new LatencyHistogram();
        histogram.RecordNanoseconds(3);
        histogram.RecordNanoseconds(3);
        histogram.RecordNanoseconds(1_000);
        var buckets = histogram.Snapshot().Buckets().ToList();

        Assert.Equal(2, buckets.Count);
        Assert.Equal((3L, 2L), buckets[0]);
        Assert.Equal(1, buckets[1].Count);
        Assert.InRange(buckets[1].UpperBoundNanoseconds, 1_000, 1_000 + (1_000 / 32));
    }

    [Fact]
    public void Concurrent_recording_loses_no_value()
    {
        const int Threads = 8;
        const int PerThread = 50_000;
        var histogram = new LatencyHistogram();
        using var start = new Barrier(Threads);
        var workers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < PerThread; i++)
            {
                histogram.RecordNanoseconds((t * 1_000_003L) + i);
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => Assert.True(w.Join(TimeSpan.FromMinutes(2))));

        var snapshot = histogram.Snapshot();
        Assert.Equal(Threads * PerThread, snapshot.Count);
        Assert.Equal(((Threads - 1) * 1_000_003L) + PerThread - 1, snapshot.MaxNanoseconds);
    }

    [Fact]
    public void Reset_zeroes_counts_and_maximum()
    {
        var histogram = new LatencyHistogram();
        histogram.RecordNanoseconds(123_456);
        histogram.Reset();

        var snapshot = histogram.Snapshot();
        Assert.Equal(0, snapshot.Count);
        Assert.Equal(0, snapshot.MaxNanoseconds);
        histogram.RecordNanoseconds(10);
        Assert.Equal(10, histogram.Snapshot().MaxNanoseconds);
    }
}
