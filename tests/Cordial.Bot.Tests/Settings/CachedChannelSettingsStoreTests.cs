using Cordial.Bot.Settings;
using Cordial.Testing;

namespace Cordial.Bot.Tests.Settings;

public sealed class CachedChannelSettingsStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_channel_is_read_once_and_a_change_through_the_store_is_seen_at_once()
    {
        var inner = new CountingStore();
        var store = new CachedChannelSettingsStore(inner, new ManualTimeProvider());

        Assert.Equal(ChannelSettings.Empty, await store.GetAsync(1, Ct));
        Assert.Equal(ChannelSettings.Empty, await store.GetAsync(1, Ct)); // a channel without settings is remembered too
        await store.SetAsync(1, new ChannelSettings("pirate", "sim-small"), Ct);
        Assert.Equal(new ChannelSettings("pirate", "sim-small"), await store.GetAsync(1, Ct));
        await store.SetAsync(1, new ChannelSettings(null, null), Ct);
        Assert.Equal(ChannelSettings.Empty, await store.GetAsync(1, Ct));

        Assert.Equal(1, inner.Reads);
    }

    [Fact]
    public async Task A_change_made_elsewhere_is_seen_once_the_entry_expires()
    {
        var inner = new CountingStore();
        var time = new ManualTimeProvider();
        var store = new CachedChannelSettingsStore(inner, time);
        await store.GetAsync(1, Ct);

        await inner.SetAsync(1, new ChannelSettings(null, "sim-vision"), Ct); // another process, same database
        time.Advance(CachedChannelSettingsStore.TimeToLive - TimeSpan.FromSeconds(1));
        Assert.Equal(ChannelSettings.Empty, await store.GetAsync(1, Ct));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("sim-vision", (await store.GetAsync(1, Ct)).Model);
        Assert.Equal(2, inner.Reads);
    }

    private sealed class CountingStore : IChannelSettingsStore
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<ulong, ChannelSettings> _values = new();
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public ValueTask<ChannelSettings> GetAsync(ulong channelId, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            return ValueTask.FromResult(_values.GetValueOrDefault(channelId, ChannelSettings.Empty));
        }

        public Task SetAsync(ulong channelId, ChannelSettings settings, CancellationToken cancellationToken)
        {
            _values[channelId] = settings;
            return Task.CompletedTask;
        }
    }
}
