using Cordial.LoadTest;

namespace Cordial.Integration.Tests.LoadTest;

public sealed class LatencySamplesTests
{
    [Fact]
    public void Percentiles_are_nearest_rank()
    {
        var samples = new LatencySamples();
        var values = Enumerable.Range(1, 200).Select(i => (double)i).ToArray();
        Random.Shared.Shuffle(values);
        foreach (var v in values)
        {
            samples.Add(v);
        }

        var summary = samples.Summarize();

        // Nearest rank: the smallest value with at least p % of the 200 values at or below it.
        Assert.Equal(200, summary.Count);
        Assert.Equal(Math.Ceiling(0.50 * 200), summary.P50Ms);
        Assert.Equal(Math.Ceiling(0.95 * 200), summary.P95Ms);
        Assert.Equal(Math.Ceiling(0.99 * 200), summary.P99Ms);
        Assert.Equal(values.Max(), summary.MaxMs);
        Assert.Equal(values.Average(), summary.MeanMs);
    }

    [Fact]
    public void One_sample_is_every_percentile_and_none_is_no_figure()
    {
        Assert.Null(new LatencySamples().Summarize().P50Ms);
        var one = new LatencySamples();
        one.Add(7.5);
        var summary = one.Summarize();
        Assert.Equal((7.5, 7.5, 7.5), (summary.P50Ms!.Value, summary.P95Ms!.Value, summary.P99Ms!.Value));
    }

    [Fact]
    public void Buckets_count_every_sample_once_at_or_below_their_bound()
    {
        var samples = new LatencySamples();
        double[] values = [0.5, 1, 1.5, 2, 999, 1000, 1001, 10_000_000];
        foreach (var v in values)
        {
            samples.Add(v);
        }

        var buckets = samples.Summarize().Buckets;

        Assert.Equal(values.Length, buckets.Sum(b => b.Count));
        foreach (var bucket in buckets.Where(b => b.Le is not null))
        {
            var index = buckets.ToList().IndexOf(bucket);
            var lower = index == 0 ? double.NegativeInfinity : buckets[index - 1].Le!.Value;
            Assert.Equal(values.Count(v => v > lower && v <= bucket.Le!.Value), bucket.Count);
        }

        Assert.Equal(values.Count(v => v > LatencySamples.BucketBounds[^1]), buckets[^1].Count);
    }

    [Fact]
    public void Percentile_refuses_empty_input_and_bad_percents()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LatencySamples.Percentile([], 50));
        Assert.Throws<ArgumentOutOfRangeException>(() => LatencySamples.Percentile([1], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LatencySamples.Percentile([1], 101));
    }
}
