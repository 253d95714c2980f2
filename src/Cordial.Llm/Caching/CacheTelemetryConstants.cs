namespace Cordial.Llm.Caching;

/// <summary>
/// Instrument and tag names of the cache and coalescing stages, published on the <c>Cordial.Llm</c> meter
/// (<see cref="Telemetry.TelemetryConstants.MeterName"/>).
/// </summary>
public static class CacheTelemetryConstants
{
    /// <summary>Counter: requests answered from the cache.</summary>
    public const string Hits = "cordial.llm.cache.hits";

    /// <summary>Counter: cacheable requests not found in the cache (hit rate = hits / (hits + misses)).</summary>
    public const string Misses = "cordial.llm.cache.misses";

    /// <summary>Counter: requests that skipped the cache, tagged with <see cref="ReasonTag"/>.</summary>
    public const string Bypasses = "cordial.llm.cache.bypasses";

    /// <summary>Counter: answers stored.</summary>
    public const string Stores = "cordial.llm.cache.stores";

    /// <summary>Observable counter: entries evicted (least recently used beyond the byte bound, or expired).</summary>
    public const string Evictions = "cordial.llm.cache.evictions";

    /// <summary>Observable gauge: bytes held by the cache.</summary>
    public const string Bytes = "cordial.llm.cache.bytes";

    /// <summary>Observable gauge: entries held by the cache.</summary>
    public const string Entries = "cordial.llm.cache.entries";

    /// <summary>Counter: requests that joined an identical in-flight request instead of calling upstream.</summary>
    public const string Coalesced = "cordial.llm.coalesced";

    /// <summary>Tag: why the cache was bypassed (<c>guild</c>, <c>time_sensitive</c>, <c>conversation</c>, <c>unkeyable</c>).</summary>
    public const string ReasonTag = "reason";
}
