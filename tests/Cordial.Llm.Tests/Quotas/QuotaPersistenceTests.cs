using Cordial.Llm.Quotas;

namespace Cordial.Llm.Tests.Quotas;

public sealed class QuotaPersistenceTests
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
    private readonly MemoryQuotaStore _store = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private QuotaLedger Ledger() => new(
        new QuotaOptions
        {
            User = new QuotaLimits { RequestsPerDay = 100, TokensPerDay = 10_000 },
            Guild = new QuotaLimits { RequestsPerMinute = 50 },
            Provider = new QuotaLimits { TokensPerMinute = 5_000 },
        },
        _time,
        store: _store);

    private static void Use(QuotaLedger ledger, ulong user, int requests)
    {
        for (var i = 0; i < requests; i++)
        {
            Assert.True(ledger.TryAcquire(user, 9, out _));
        }
    }

    [Fact]
    public async Task State_written_and_restored_by_a_new_ledger_is_the_same()
    {
        var first = Ledger();
        Use(first, 1, 7);
        Use(first, 2, 3);
        first.ChargeTokens(1, 9, 2500);
        Assert.True(first.TryAcquireProvider("openai", out _));
        first.ChargeProviderTokens("openai", 4000);

        Assert.Equal(4, await first.FlushAsync(Ct)); // two users, one guild, one provider
        var second = Ledger();
        Assert.Equal(4, await second.RestoreAsync(Ct));

        Assert.Equal(first.GetAllowance(1, 9), second.GetAllowance(1, 9));
        Assert.Equal(first.GetAllowance(2), second.GetAllowance(2));
        Assert.Equal(93, second.GetAllowance(1).RequestsLeftToday);
        Assert.Equal(7500, second.GetAllowance(1).TokensLeftToday);
        ledgerProviderRefuses(second);

        static void ledgerProviderRefuses(QuotaLedger ledger)
        {
            ledger.ChargeProviderTokens("OpenAI", 1000); // 5000 of 5000 used in this minute
            Assert.False(ledger.TryAcquireProvider("openai", out _));
        }
    }

    [Fact]
    public async Task Only_changed_entries_are_written()
    {
        var ledger = Ledger();
        Use(ledger, 1, 1);
        Use(ledger, 2, 1);
        Assert.Equal(3, await ledger.FlushAsync(Ct));
        Assert.Equal(0, await ledger.FlushAsync(Ct));

        Assert.True(ledger.TryAcquire(2, null, out _));
        Assert.Equal(1, await ledger.FlushAsync(Ct));
        Assert.Equal([3, 1], _store.BatchSizes);
    }

    [Fact]
    public async Task A_kill_loses_at_most_the_counts_since_the_last_write_behind()
    {
        var first = Ledger();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var loop = first.RunWriteBehindAsync(stop.Token);

        Use(first, 1, 5);
        await Eventually.UntilAsync(
            () =>
            {
                _time.Advance(QuotaLedger.FlushInterval);
                return _store.Get(QuotaScope.User, "1") is not null;
            },
            "the write-behind loop wrote the user");
        await Eventually.UntilAsync(() => !_store.BatchSizes.IsEmpty, "the batch is complete");

        // Less than one interval later the process dies: no graceful flush.
        Use(first, 1, 2);
        await stop.CancelAsync();
        await loop;

        var second = Ledger();
        await second.RestoreAsync(Ct);
        var lost = second.GetAllowance(1).RequestsLeftToday - first.GetAllowance(1).RequestsLeftToday;
        Assert.Equal(93, first.GetAllowance(1).RequestsLeftToday);
        Assert.InRange(lost!.Value, 0, 2); // only what was counted after the last write
    }

    [Fact]
    public async Task A_failed_write_is_retried_with_the_next_one()
    {
        var ledger = Ledger();
        Use(ledger, 1, 4);
        _store.FailuresToCome = 1;

        await Assert.ThrowsAsync<IOException>(() => ledger.FlushAsync(Ct));
        Assert.Equal(0, _store.Count);
        Assert.Equal(2, await ledger.FlushAsync(Ct));

        var restored = Ledger();
        await restored.RestoreAsync(Ct);
        Assert.Equal(96, restored.GetAllowance(1).RequestsLeftToday);
    }

    [Fact]
    public async Task Pruned_entries_leave_the_store_with_the_next_write()
    {
        var ledger = Ledger();
        Use(ledger, 1, 1);
        Assert.True(ledger.TryAcquireProvider("p", out _));
        ledger.ChargeProviderTokens("p", 10);
        await ledger.FlushAsync(Ct);
        Assert.Equal(3, _store.Count);

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(2, ledger.Prune(_time.GetUtcNow())); // the guild's minute and the provider's minute are over
        await ledger.FlushAsync(Ct);

        Assert.Equal(1, _store.Count);
        Assert.NotNull(_store.Get(QuotaScope.User, "1"));
    }

    [Fact]
    public async Task The_hosted_service_restores_at_start_and_writes_at_stop()
    {
        var earlier = Ledger();
        Use(earlier, 1, 10);
        await earlier.FlushAsync(Ct);

        var ledger = Ledger();
        using var service = new QuotaPersistenceService(ledger);
        await service.StartAsync(Ct);
        Assert.Equal(90, ledger.GetAllowance(1).RequestsLeftToday);

        Use(ledger, 1, 5);
        await service.StopAsync(Ct);

        var later = Ledger();
        await later.RestoreAsync(Ct);
        Assert.Equal(85, later.GetAllowance(1).RequestsLeftToday);
    }
}
