using Cordial.Bot.Collections;

namespace Cordial.Bot.Summaries;

/// <summary>
/// Fronts an <see cref="ISummaryStore"/> with a bounded in-memory cache, misses included (most messages have no
/// summary), so looking for one while building a conversation costs no I/O the second time.
/// </summary>
/// <remarks>
/// Thread-safe. Bounded by bytes (<see cref="SizeOf"/>): a summary of up to a few kilobytes weighs what it takes, a miss
/// only its entry. With several processes on one PostgreSQL database a remembered miss can hide another process's new
/// summary until it is evicted; the cost is only a summary made twice.
/// </remarks>
public sealed class CachedSummaryStore : ISummaryStore
{
    /// <summary>The default bound: about 600 summaries of 400 tokens, or 20,000 misses.</summary>
    public const long DefaultMaxBytes = 2L * 1024 * 1024;

    private readonly ISummaryStore _inner;
    private readonly LruCache<ulong, ConversationSummary?> _cache;

    public CachedSummaryStore(ISummaryStore inner, long maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _cache = new LruCache<ulong, ConversationSummary?>(maxBytes, SizeOf);
    }

    /// <summary>Entries cached (summaries and misses).</summary>
    public int CachedEntries => _cache.Count;

    /// <summary>Bytes the cached entries take (<see cref="SizeOf"/>).</summary>
    public long CachedBytes => _cache.Weight;

    /// <summary>The memory a cache entry takes: the entry, and the summary (64 bytes and its strings) when there is one.</summary>
    public static long SizeOf(ConversationSummary? summary) =>
        MemorySize.LruEntry + (summary is null ? 0 : 64 + MemorySize.Of(summary.Text) + MemorySize.Of(summary.Model));

    public ValueTask<ConversationSummary?> GetAsync(ulong tailId, CancellationToken cancellationToken) =>
        _cache.TryGet(tailId, out var summary) ? ValueTask.FromResult(summary) : LoadAsync(tailId, cancellationToken);

    private async ValueTask<ConversationSummary?> LoadAsync(ulong tailId, CancellationToken cancellationToken)
    {
        var summary = await _inner.GetAsync(tailId, cancellationToken);
        _cache.Set(tailId, summary);
        return summary;
    }

    public async Task PutAsync(ConversationSummary summary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(summary);
        await _inner.PutAsync(summary, cancellationToken);
        _cache.Set(summary.TailId, summary);
    }

    /// <remarks>Cached copies of removed summaries stay until evicted: they are still true, merely old.</remarks>
    public Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        _inner.DeleteOlderThanAsync(cutoff, cancellationToken);
}
