using Cordial.Bot.Collections;

namespace Cordial.Bot.Settings;

/// <summary>
/// Fronts an <see cref="IChannelSettingsStore"/> with a bounded in-memory cache, channels without settings included
/// (most have none), so each answer's settings lookup costs no database read.
/// </summary>
/// <remarks>
/// Thread-safe. Entries are trusted for <see cref="TimeToLive"/>: a change made through this store is seen at once;
/// one made by another process on a shared PostgreSQL database (only when shards split a guild's traffic, which
/// guild-based sharding never does) is seen within that time.
/// </remarks>
public sealed class CachedChannelSettingsStore : IChannelSettingsStore
{
    /// <summary>How long a cached entry is trusted.</summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(1);

    private readonly IChannelSettingsStore _inner;
    private readonly TimeProvider _time;
    private readonly LruCache<ulong, Entry> _cache;

    public CachedChannelSettingsStore(IChannelSettingsStore inner, TimeProvider time, int capacity = 10_000)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(time);
        _inner = inner;
        _time = time;
        _cache = new LruCache<ulong, Entry>(capacity);
    }

    public ValueTask<ChannelSettings> GetAsync(ulong channelId, CancellationToken cancellationToken) =>
        _cache.TryGet(channelId, out var entry) && _time.GetTimestamp() < entry.ExpiresAt
            ? ValueTask.FromResult(entry.Settings)
            : LoadAsync(channelId, cancellationToken);

    public async Task SetAsync(ulong channelId, ChannelSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await _inner.SetAsync(channelId, settings, cancellationToken);
        Remember(channelId, settings.Persona is null && settings.Model is null ? ChannelSettings.Empty : settings);
    }

    private async ValueTask<ChannelSettings> LoadAsync(ulong channelId, CancellationToken cancellationToken)
    {
        var settings = await _inner.GetAsync(channelId, cancellationToken);
        Remember(channelId, settings);
        return settings;
    }

    private void Remember(ulong channelId, ChannelSettings settings) =>
        _cache.Set(channelId, new Entry(settings, _time.GetTimestamp() + (long)(TimeToLive.TotalSeconds * _time.TimestampFrequency)));

    private readonly record struct Entry(ChannelSettings Settings, long ExpiresAt);
}
