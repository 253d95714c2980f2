namespace Cordial.LoadTest;

/// <summary>Values at or below <paramref name="Le"/> (and above the previous bound); <paramref name="Le"/> null = the open last bucket.</summary>
internal sealed record HistogramBucket(double? Le, long Count);
