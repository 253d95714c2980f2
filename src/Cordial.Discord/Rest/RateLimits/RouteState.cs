namespace Cordial.Discord.Rest.RateLimits;

/// <summary>
/// A route's current limiter: the provisional bucket while its Discord bucket is unknown, then the (possibly
/// shared) learned bucket; null when the route answered without any bucket headers (only the global limit applies).
/// </summary>
internal sealed class RouteState(RouteBucket? bucket)
{
    private RouteBucket? _bucket = bucket;

    public RouteBucket? Bucket
    {
        get => Volatile.Read(ref _bucket);
        set => Volatile.Write(ref _bucket, value);
    }

    /// <summary>Timestamp of the last response on this route (for idle expiry).</summary>
    public long LastUsed { get; set; }

    /// <summary>Replaces <paramref name="expected"/> with <paramref name="replacement"/> if it is still current.</summary>
    public bool TryReplace(RouteBucket? expected, RouteBucket? replacement) =>
        ReferenceEquals(Interlocked.CompareExchange(ref _bucket, replacement, expected), expected);
}
