using Cordial.Llm.Quotas;
using Cordial.Storage.Sql;

namespace Cordial.Storage.Tests.Sql;

/// <summary>The quota store, against each real database.</summary>
public abstract partial class SqlStoreTests
{
    private static readonly DateTimeOffset QuotaNow = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private async Task<SqlQuotaStore> QuotaStoreAsync()
    {
        var (dataSource, dialect) = await OpenDataSourceAsync();
        return new SqlQuotaStore(dataSource, dialect);
    }

    private static QuotaStateEntry Entry(QuotaScope scope, string key, TimeSpan idleIn, long requestsPerMinute = 0) =>
        new(scope, key, requestsPerMinute, QuotaNow.Add(idleIn).UtcTicks, 0, QuotaNow.Add(idleIn / 2).UtcTicks);

    [Fact]
    public async Task Quota_state_round_trips_and_a_later_batch_replaces_earlier_rows()
    {
        var ct = TestContext.Current.CancellationToken;
        var quotas = await QuotaStoreAsync();
        Assert.Empty(await quotas.LoadAsync(QuotaNow, ct)); // the table is created on first use

        var user = Entry(QuotaScope.User, "123456789012345678", TimeSpan.FromHours(3), requestsPerMinute: QuotaNow.AddSeconds(20).UtcTicks);
        var guild = Entry(QuotaScope.Guild, "42", TimeSpan.FromMinutes(10));
        var provider = Entry(QuotaScope.Provider, "openai", TimeSpan.FromSeconds(30));
        await quotas.SaveAsync([user, guild, provider], null, ct);
        var changedUser = user with { RequestsPerDay = QuotaNow.AddHours(5).UtcTicks };
        await quotas.SaveAsync([changedUser], null, ct);

        var loaded = await quotas.LoadAsync(QuotaNow, ct);
        Assert.Equal(3, loaded.Count);
        Assert.Contains(changedUser, loaded);
        Assert.Contains(guild, loaded);
        Assert.Contains(provider, loaded);

        // Only entries still in use come back.
        Assert.Equal([changedUser], await quotas.LoadAsync(QuotaNow.AddHours(1), ct));
    }

    [Fact]
    public async Task A_prune_in_a_save_deletes_the_idle_rows_in_the_same_transaction()
    {
        var ct = TestContext.Current.CancellationToken;
        var quotas = await QuotaStoreAsync();
        await quotas.SaveAsync([Entry(QuotaScope.User, "1", TimeSpan.FromMinutes(1)), Entry(QuotaScope.User, "2", TimeSpan.FromDays(1))], null, ct);

        var fresh = Entry(QuotaScope.Guild, "7", TimeSpan.FromDays(1));
        await quotas.SaveAsync([fresh], QuotaNow.AddHours(1), ct);

        var loaded = await quotas.LoadAsync(QuotaNow.AddSeconds(-1), ct);
        Assert.Equal(["2", "7"], loaded.Select(e => e.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_ledger_restores_from_the_database_what_another_ledger_wrote()
    {
        var ct = TestContext.Current.CancellationToken;
        var quotas = await QuotaStoreAsync();
        var time = new ManualTimeProvider(QuotaNow);
        var options = new QuotaOptions { User = new QuotaLimits { RequestsPerDay = 10 }, Provider = new QuotaLimits { TokensPerMinute = 1000 } };
        var first = new QuotaLedger(options, time, store: quotas);
        for (var i = 0; i < 4; i++)
        {
            Assert.True(first.TryAcquire(5, null, out _));
        }

        Assert.True(first.TryAcquireProvider("Local", out _));
        first.ChargeProviderTokens("Local", 1000);
        Assert.Equal(2, await first.FlushAsync(ct));

        var second = new QuotaLedger(options, time, store: quotas);
        Assert.Equal(2, await second.RestoreAsync(ct));
        Assert.Equal(6, second.GetAllowance(5).RequestsLeftToday);
        Assert.False(second.TryAcquireProvider("local", out _));
    }
}
