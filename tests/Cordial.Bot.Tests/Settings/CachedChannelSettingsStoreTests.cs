using Cordial.Bot.Settings;
using Cordial.Testing;

namespace Cordial.Bot.Tests.Settings;

public sealed class CachedChannelSettingsStoreTests
{
    private readonly CountingStore _inner = new();
    private readonly ManualTimeProvider _time = new();
    private readonly CachedChannelSettingsStore _store;

    public CachedChannelSettingsStoreTests() => _store = new CachedChannelSettingsStore(_inner, _time);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_channel_is_read_once_and_a_change_through_the_store_is_seen_at_once()
    {

        Assert.Equal(ChannelSettings.Empty, await _store.GetAsync(1, Ct));
        Assert.Equal(ChannelSettings.Empty, await _store.GetAsync(1, Ct)); // a channel without settings is remembered too
        await _store.SetAsync(1, new ChannelSettings("pirate", "sim-small"), Ct);
        Assert.Equal(new ChannelSettings("pirate", "sim-small"), await _store.GetAsync(1, Ct));
        await _store.SetAsync(1, new ChannelSettings(null, null), Ct);
        Assert.Equal(ChannelSettings.Empty, await _store.GetAsync(1, Ct));

        Assert.Equal(1, _inner.Reads);
    }

    [Fact]
    public async Task A_change_made_elsewhere_is_read_in_the_background_once_the_entry_expires()
    {
        await _store.GetAsync(1, Ct);

        await _inner.SetAsync(1, new ChannelSettings(null, "sim-vision"), Ct); // another process, same database
        _time.Advance(CachedChannelSettingsStore.TimeToLive - TimeSpan.FromSeconds(1));
        Assert.Equal(ChannelSettings.Empty, await _store.GetAsync(1, Ct));
        Assert.Equal(1, _inner.Reads);

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(ChannelSettings.Empty, await _store.GetAsync(1, Ct)); // served at once; read again behind it
        await Eventually.UntilAsync(() => _store.GetAsync(1, Ct), s => s.Model == "sim-vision", "the background read");
        Assert.Equal(2, _inner.Reads);
    }

    [Fact]
    public async Task An_expired_entry_is_served_without_waiting_for_the_database_and_read_once()
    {
        await _inner.SetAsync(1, new ChannelSettings("pirate", null), Ct);
        await _store.GetAsync(1, Ct);
        _inner.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _inner.SetAsync(1, new ChannelSettings("poet", null), Ct);
        _time.Advance(CachedChannelSettingsStore.TimeToLive);

        for (var i = 0; i < 5; i++)
        {
            var lookup = _store.GetAsync(1, Ct).AsTask(); // the database is held: these must not wait for it
            Assert.True(lookup.IsCompletedSuccessfully);
            Assert.Equal("pirate", (await lookup).Persona);
        }

        await Eventually.UntilAsync(() => _inner.Reads == 2, "one background read");
        _inner.Gate.SetResult();
        await Eventually.UntilAsync(() => _store.GetAsync(1, Ct), s => s.Persona == "poet", "the read to be remembered");
        Assert.Equal(2, _inner.Reads);
    }

    [Fact]
    public async Task A_change_through_the_store_during_a_background_read_is_not_undone_by_it()
    {
        await _store.GetAsync(1, Ct);
        _inner.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _time.Advance(CachedChannelSettingsStore.TimeToLive);

        await _store.GetAsync(1, Ct); // starts the background read, which takes the old (empty) settings and is held
        await Eventually.UntilAsync(() => _inner.Reads == 2, "the background read");
        await _store.SetAsync(1, new ChannelSettings("pirate", "sim-small"), Ct);
        _inner.Gate.SetResult();
        await Eventually.UntilAsync(() => _inner.Returned == 2, "the background read to finish");
        await Task.Delay(50, Ct); // and to be dealt with

        Assert.Equal(new ChannelSettings("pirate", "sim-small"), await _store.GetAsync(1, Ct));
    }

    [Fact]
    public async Task A_failed_background_read_keeps_the_old_settings_and_is_tried_again()
    {
        await _inner.SetAsync(1, new ChannelSettings("pirate", null), Ct);
        await _store.GetAsync(1, Ct);
        _time.Advance(CachedChannelSettingsStore.TimeToLive);
        _inner.FailNext = true;

        Assert.Equal("pirate", (await _store.GetAsync(1, Ct)).Persona);
        await Eventually.UntilAsync(() => _inner.Reads == 2 && !_inner.FailNext, "the failed read");
        await _inner.SetAsync(1, new ChannelSettings("poet", null), Ct);
        await Eventually.UntilAsync(() => _store.GetAsync(1, Ct), s => s.Persona == "poet", "the next lookup to read again");
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
