namespace Cordial.LoadTest;

/// <summary>Percentiles (nearest rank) of a set of durations in milliseconds; null when there was none.</summary>
internal sealed record LatencySummary(long Count, double? P50Ms, double? P95Ms, double? P99Ms, double? MaxMs, double? MeanMs, long NotKept, IReadOnlyList<HistogramBucket> Buckets);
