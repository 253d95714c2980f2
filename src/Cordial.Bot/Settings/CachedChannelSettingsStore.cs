using Cordial.Bot.Collections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cordial.Bot.Settings;

/// <summary>
/// Fronts an <see cref="IChannelSettingsStore"/> with a bounded in-memory cache, channels without settings included
/// (most have none), so each answer's settings lookup costs no database read.
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe. Entries are trusted for <see cref="TimeToLive"/>: a change made through this store is seen at once;
/// one made by another process on a shared PostgreSQL database (only when shards split a guild's traffic, which
/// guild-based sharding never does) is seen within that time, by the messages after the first one past it.
/// </para>
/// <para>
/// Only a channel's first lookup waits for the database. An expired entry is still served, and read again on a
/// thread-pool thread: the lookup is on every message's path to its model request, and a database read there (once a
/// minute per channel: ~2 % of messages in the 1,000-user load test) took 0.15–0.7 ms (docs/PERFORMANCE.md, twelfth
/// session). A read that fails is logged and leaves the old entry in place; the next lookup tries again.
/// </para>
/// </remarks>
public sealed partial class CachedChannelSettingsStore : IChannelSettingsStore
{
    /// <summary>How long a cached entry is trusted.</summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(1);

    private readonly IChannelSettingsStore _inner;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LruCache<ulong, Entry> _cache;
    private readonly Lock _writes = new(); // orders a refresh's result against a change made through this store

    /// <summary>Creates the cache.</summary>
    /// <param name="inner">The database store.</param>
    /// <param name="time">The clock of <see cref="TimeToLive"/>.</param>
    /// <param name="capacity">Channels remembered (least recently used beyond it are forgotten).</param>
    /// <param name="logger">Where a failed background read is reported; default none.</param>
    public CachedChannelSettingsStore(IChannelSettingsStore inner, TimeProvider time, int capacity = 10_000, ILogger<CachedChannelSettingsStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(time);
        _inner = inner;
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _cache = new LruCache<ulong, Entry>(capacity);
    }

    public ValueTask<ChannelSettings> GetAsync(ulong channelId, CancellationToken cancellationToken)
    {
        if (!_cache.TryGet(channelId, out var entry))
        {
            return LoadAsync(channelId, cancellationToken);
        }

        if (_time.GetTimestamp() >= entry.ExpiresAt && entry.TryStartRefresh())
        {
            // Queued on this thread's own queue: it runs once the message in hand has gone on its way.
            ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.Store.RefreshAsync(state.Id, state.Entry), (Store: this, Id: channelId, Entry: entry), preferLocal: true);
        }

        return ValueTask.FromResult(entry.Settings);
    }

    public async Task SetAsync(ulong channelId, ChannelSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await _inner.SetAsync(channelId, settings, cancellationToken);
        lock (_writes)
        {
            Remember(channelId, settings.Persona is null && settings.Model is null ? ChannelSettings.Empty : settings);
        }
    }

    private async ValueTask<ChannelSettings> LoadAsync(ulong channelId, CancellationToken cancellationToken)
    {
        var settings = await _inner.GetAsync(channelId, cancellationToken);
        lock (_writes)
        {
            // A change made through this store meanwhile is newer than what was read.
            if (!_cache.TryGet(channelId, out _))
            {
                Remember(channelId, settings);
            }
        }

        return settings;
    }

    private async Task RefreshAsync(ulong channelId, Entry stale)
    {
        try
        {
            var settings = await _inner.GetAsync(channelId, CancellationToken.None);
            lock (_writes)
            {
                // Only over the entry it refreshes: a change made through this store meanwhile is newer than what was read.
                if (_cache.TryGet(channelId, out var current) && ReferenceEquals(current, stale))
                {
                    Remember(channelId, settings);
                }
            }
        }
        catch (Exception ex)
        {
            stale.EndRefresh(); // the next lookup tries again
            Log.RefreshFailed(_logger, ex, channelId);
        }
    }

    private void Remember(ulong channelId, ChannelSettings settings) =>
        _cache.Set(channelId, new Entry(settings, _time.GetTimestamp() + (long)(TimeToLive.TotalSeconds * _time.TimestampFrequency)));

    /// <summary>A cached value, and whether a read to replace it is under way.</summary>
    private sealed class Entry(ChannelSettings settings, long expiresAt)
    {
        private int _refreshing;

        public ChannelSettings Settings { get; } = settings;

        public long ExpiresAt { get; } = expiresAt;

        public bool TryStartRefresh() => Interlocked.Exchange(ref _refreshing, 1) == 0;

        public void EndRefresh() => Volatile.Write(ref _refreshing, 0);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Reading the settings of channel {ChannelId} again failed; its cached settings stay in use")]
        public static partial void RefreshFailed(ILogger logger, Exception exception, ulong channelId);
    }
}
