using System.Data.Common;
using Cordial.Bot.Conversations;
using Cordial.Storage.Retention;
using Cordial.Storage.Sql;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cordial.Storage.Tests.Retention;

/// <summary>Storage:RetentionDays against each real database: old rows go, recent ones stay.</summary>
public abstract class StorageRetentionTests : IAsyncLifetime
{
    private const long DiscordEpochMilliseconds = 1_420_070_400_000;
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private SqlMessageNodeStore _nodes = null!;
    private SqlUsageStore _usage = null!;
    private SqlSummaryStore _summaries = null!;

    /// <summary>Opens a fresh, empty database.</summary>
    protected abstract Task<(DbDataSource DataSource, SqlDialect Dialect)> OpenDataSourceAsync();

    protected abstract ValueTask CloseAsync();

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var (dataSource, dialect) = await OpenDataSourceAsync();
        _nodes = new SqlMessageNodeStore(dataSource, dialect);
        _usage = new SqlUsageStore(dataSource, dialect);
        _summaries = new SqlSummaryStore(dataSource, dialect);
        await _nodes.InitializeAsync(ct);
        await _usage.InitializeAsync(ct);
        await _summaries.InitializeAsync(ct);
    }

    public ValueTask DisposeAsync() => CloseAsync();

    /// <summary>A Discord id created at <paramref name="at"/> (ids carry their creation time).</summary>
    private static ulong SnowflakeAt(DateTimeOffset at, ulong sequence = 0) =>
        ((ulong)(at.ToUnixTimeMilliseconds() - DiscordEpochMilliseconds) << 22) | sequence;

    private static MessageNode Node(DateTimeOffset createdAt, ulong sequence) => new()
    {
        Id = SnowflakeAt(createdAt, sequence),
        ChannelId = 10,
        AuthorId = 100,
        Role = NodeRole.User,
        Text = "hello",
        CreatedAt = createdAt,
    };

    private StorageRetentionTask Retention(int days) =>
        new(_nodes, _usage, _summaries, new StorageOptions { RetentionDays = days }, NullLogger<StorageRetentionTask>.Instance);

    private async Task<(MessageNode[] Old, MessageNode[] Recent)> SeedAsync(CancellationToken ct)
    {
        MessageNode[] old = [Node(Now.AddDays(-45), 1), Node(Now.AddDays(-30).AddMinutes(-1), 2)];
        MessageNode[] recent = [Node(Now.AddDays(-30).AddMinutes(1), 3), Node(Now.AddHours(-1), 4)];
        await _nodes.PutAsync([.. old, .. recent], ct);
        await _nodes.SetResetAsync(10, 100, SnowflakeAt(Now.AddDays(-40)), ct);
        await _nodes.SetResetAsync(10, 101, SnowflakeAt(Now.AddDays(-2)), ct);
        await _usage.RecordAsync(100, DateOnly.FromDateTime(Now.AddDays(-40).UtcDateTime), 10, 20, ct);
        await _usage.RecordAsync(100, DateOnly.FromDateTime(Now.AddDays(-31).UtcDateTime), 10, 20, ct);
        await _usage.RecordAsync(100, DateOnly.FromDateTime(Now.AddDays(-3).UtcDateTime), 1, 2, ct);
        await _usage.RecordAsync(100, DateOnly.FromDateTime(Now.UtcDateTime), 1, 2, ct);
        await _summaries.PutAsync(new Cordial.Bot.Summaries.ConversationSummary(old[0].Id, "old summary", 3, "m", Now.AddDays(-31)), ct);
        await _summaries.PutAsync(new Cordial.Bot.Summaries.ConversationSummary(recent[0].Id, "recent summary", 3, "m", Now.AddDays(-1)), ct);
        return (old, recent);
    }

    [Fact]
    public async Task Nodes_resets_and_usage_older_than_the_retention_are_deleted_and_recent_ones_kept()
    {
        var ct = TestContext.Current.CancellationToken;
        var (old, recent) = await SeedAsync(ct);

        await Retention(30).RunAsync(Now, ct);

        foreach (var node in old)
        {
            Assert.Null(await _nodes.GetAsync(node.Id, ct));
        }

        foreach (var node in recent)
        {
            Assert.NotNull(await _nodes.GetAsync(node.Id, ct));
        }

        Assert.Equal(0UL, await _nodes.GetResetAsync(10, 100, ct));
        Assert.Equal(SnowflakeAt(Now.AddDays(-2)), await _nodes.GetResetAsync(10, 101, ct));
        var usage = await _usage.GetAsync(100, DateOnly.FromDateTime(Now.UtcDateTime), ct);
        Assert.Equal(2, usage.RequestsTotal);
        Assert.Equal(2, usage.InputTokensTotal);
        Assert.Null(await _summaries.GetAsync(old[0].Id, ct));
        Assert.NotNull(await _summaries.GetAsync(recent[0].Id, ct));
    }

    [Fact]
    public async Task Running_again_deletes_nothing_more()
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, recent) = await SeedAsync(ct);
        await Retention(30).RunAsync(Now, ct);

        var (nodes, resets) = await _nodes.DeleteExpiredAsync(Now.AddDays(-30), ct);

        Assert.Equal((0, 0), (nodes, resets));
        Assert.Equal(0, await _usage.DeleteBeforeAsync(DateOnly.FromDateTime(Now.AddDays(-30).UtcDateTime), ct));
        Assert.NotNull(await _nodes.GetAsync(recent[0].Id, ct));
    }

    [Fact]
    public async Task Zero_days_keeps_everything()
    {
        var ct = TestContext.Current.CancellationToken;
        var (old, _) = await SeedAsync(ct);

        await Retention(0).RunAsync(Now, ct);

        Assert.NotNull(await _nodes.GetAsync(old[0].Id, ct));
        Assert.Equal(SnowflakeAt(Now.AddDays(-40)), await _nodes.GetResetAsync(10, 100, ct));
        Assert.Equal(4, (await _usage.GetAsync(100, DateOnly.FromDateTime(Now.UtcDateTime), ct)).RequestsTotal);
    }
}
