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
    public async Task A_change_made_elsewhere_is_read_in_the_background_once_the_entry_expires()
    {
        var inner = new CountingStore();
        var time = new ManualTimeProvider();
        var store = new CachedChannelSettingsStore(inner, time);
        await store.GetAsync(1, Ct);

        await inner.SetAsync(1, new ChannelSettings(null, "sim-vision"), Ct); // another process, same database
        time.Advance(CachedChannelSettingsStore.TimeToLive - TimeSpan.FromSeconds(1));
        Assert.Equal(ChannelSettings.Empty, await store.GetAsync(1, Ct));
        Assert.Equal(1, inner.Reads);

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(ChannelSettings.Empty, await store.GetAsync(1, Ct)); // served at once; read again behind it
        await Eventually.UntilAsync(() => store.GetAsync(1, Ct), s => s.Model == "sim-vision", "the background read");
        Assert.Equal(2, inner.Reads);
    }

    [Fact]
    public async Task An_expired_entry_is_served_without_waiting_for_the_database_and_read_once()
    {
        var inner = new CountingStore();
        var time = new ManualTimeProvider();
        var store = new CachedChannelSettingsStore(inner, time);
        await inner.SetAsync(1, new ChannelSettings("pirate", null), Ct);
        await store.GetAsync(1, Ct);
        inner.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await inner.SetAsync(1, new ChannelSettings("poet", null), Ct);
        time.Advance(CachedChannelSettingsStore.TimeToLive);

        for (var i = 0; i < 5; i++)
        {
            var lookup = store.GetAsync(1, Ct).AsTask(); // the database is held: these must not wait for it
            Assert.True(lookup.IsCompletedSuccessfully);
            Assert.Equal("pirate", (await lookup).Persona);
        }

        await Eventually.UntilAsync(() => inner.Reads == 2, "one background read");
        inner.Gate.SetResult();
        await Eventually.UntilAsync(() => store.GetAsync(1, Ct), s => s.Persona == "poet", "the read to be remembered");
        Assert.Equal(2, inner.Reads);
    }

    [Fact]
    public async Task A_change_through_the_store_during_a_background_read_is_not_undone_by_it()
    {
        var inner = new CountingStore();
        var time = new ManualTimeProvider();
        var store = new CachedChannelSettingsStore(inner, time);
        await store.GetAsync(1, Ct);
        inner.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        time.Advance(CachedChannelSettingsStore.TimeToLive);

        await store.GetAsync(1, Ct); // starts the background read, which takes the old (empty) settings and is held
        await Eventually.UntilAsync(() => inner.Reads == 2, "the background read");
        await store.SetAsync(1, new ChannelSettings("pirate", "sim-small"), Ct);
        inner.Gate.SetResult();
        await Eventually.UntilAsync(() => inner.Returned == 2, "the background read to finish");
        await Task.Delay(50, Ct); // and to be dealt with

        Assert.Equal(new ChannelSettings("pirate", "sim-small"), await store.GetAsync(1, Ct));
    }

    [Fact]
    public async Task A_failed_background_read_keeps_the_old_settings_and_is_tried_again()
    {
        var inner = new CountingStore();
        var time = new ManualTimeProvider();
        var store = new CachedChannelSettingsStore(inner, time);
        await inner.SetAsync(1, new ChannelSettings("pirate", null), Ct);
        await store.GetAsync(1, Ct);
        time.Advance(CachedChannelSettingsStore.TimeToLive);
        inner.FailNext = true;

        Assert.Equal("pirate", (await store.GetAsync(1, Ct)).Persona);
        await Eventually.UntilAsync(() => inner.Reads == 2 && !inner.FailNext, "the failed read");
        await inner.SetAsync(1, new ChannelSettings("poet", null), Ct);
        await Eventually.UntilAsync(() => store.GetAsync(1, Ct), s => s.Persona == "poet", "the next lookup to read again");
    }

    private sealed class CountingStore : IChannelSettingsStore
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<ulong, ChannelSettings> _values = new();
        private int _reads;
        private int _returned;

        public int Reads => Volatile.Read(ref _reads);

        public int Returned => Volatile.Read(ref _returned);

        /// <summary>When set, reads take the value at once and return it only when the gate opens.</summary>
        public TaskCompletionSource? Gate { get; set; }

        public bool FailNext { get; set; }

        public async ValueTask<ChannelSettings> GetAsync(ulong channelId, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            if (FailNext)
            {
                FailNext = false;
                throw new InvalidOperationException("database unavailable");
            }

            var value = _values.GetValueOrDefault(channelId, ChannelSettings.Empty);
            if (Gate is { } gate)
            {
                await gate.Task;
            }

            Interlocked.Increment(ref _returned);
            return value;
        }

        public Task SetAsync(ulong channelId, ChannelSettings settings, CancellationToken cancellationToken)
        {
            _values[channelId] = settings;
            return Task.CompletedTask;
        }
    }
}
