using Cordial.Bot.Conversations;
using Cordial.Storage.Sql;

namespace Cordial.Storage.Tests.Sql;

/// <summary>The same behaviour, proven against each real database.</summary>
public abstract partial class SqlStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Opens a fresh, empty database.</summary>
    protected abstract Task<(System.Data.Common.DbDataSource DataSource, SqlDialect Dialect)> OpenDataSourceAsync();

    protected SqlMessageNodeStore Store { get; private set; } = null!;

    protected SqlChannelSettingsStore Settings { get; private set; } = null!;

    protected SqlUsageStore Usage { get; private set; } = null!;

    public async ValueTask InitializeAsync() => (Store, Settings, Usage) = await OpenStoresAsync();

    protected async Task<(SqlMessageNodeStore, SqlChannelSettingsStore, SqlUsageStore)> OpenStoresAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var (dataSource, dialect) = await OpenDataSourceAsync();
        (DataSource, Dialect) = (dataSource, dialect);
        var store = new SqlMessageNodeStore(dataSource, dialect);
        var settings = new SqlChannelSettingsStore(dataSource, dialect);
        var usage = new SqlUsageStore(dataSource, dialect);
        await store.InitializeAsync(ct);
        await store.InitializeAsync(ct); // idempotent
        await settings.InitializeAsync(ct);
        await usage.InitializeAsync(ct);
        return (store, settings, usage);
    }

    public ValueTask DisposeAsync() => CloseAsync();

    protected abstract ValueTask CloseAsync();

    internal static MessageNode Node(ulong id, ulong? parent = null, NodeRole role = NodeRole.User, string text = "hello", int minutes = 0) => new()
    {
        Id = id,
        ChannelId = 10,
        GuildId = 1,
        AuthorId = role == NodeRole.User ? 100UL : 200UL,
        AuthorName = role == NodeRole.User ? "ana" : "Cordial",
        Role = role,
        Text = text,
        TokenCount = TokenEstimator.Estimate(text),
        ParentId = parent,
        ImageUrls = id % 2 == 0 ? ["https://cdn.example/a.png", "https://cdn.example/b.png"] : [],
        Warnings = id % 3 == 0 ? ["The attachment x.zip was not read (unsupported type application/zip)."] : [],
        Model = role == NodeRole.Assistant ? "sim-small" : null,
        CreatedAt = T0.AddMinutes(minutes),
    };

    [Fact]
    public async Task A_stored_node_reads_back_identically()
    {
        var ct = TestContext.Current.CancellationToken;
        var nodes = new[] { Node(1), Node(2, 1, NodeRole.Assistant, "answer ```cs\nx\n```"), Node(3, 2, text: "émoji 🙂 and\nlines") };
        await Store.PutAsync(nodes, ct);

        foreach (var node in nodes)
        {
            var read = await Store.GetAsync(node.Id, ct);
            Assert.NotNull(read);
            Assert.Equal(node with { ImageUrls = [], Warnings = [] }, read with { ImageUrls = [], Warnings = [] });
            Assert.Equal(node.ImageUrls, read.ImageUrls);
            Assert.Equal(node.Warnings, read.Warnings);
        }

        Assert.Null(await Store.GetAsync(999, ct));
    }

    [Fact]
    public async Task A_chain_reads_back_newest_first_in_one_statement_up_to_a_missing_parent_or_the_limit()
    {
        var ct = TestContext.Current.CancellationToken;
        // 1 ← 2 ← … ← 30, and 41 ← 42 whose parent 40 was never stored; 50 and 51 are each other's parent (corrupt data).
        await Store.PutAsync([.. Enumerable.Range(1, 30).Select(i => Node((ulong)i, i == 1 ? null : (ulong)i - 1, i % 2 == 0 ? NodeRole.Assistant : NodeRole.User, $"turn {i}"))], ct);
        await Store.PutAsync([Node(41, 40), Node(42, 41), Node(50, 51), Node(51, 50)], ct);

        var whole = await Store.GetChainAsync(30, 100, ct);
        Assert.Equal(Enumerable.Range(1, 30).Reverse().Select(i => (ulong)i), whole.Select(n => n.Id));
        var (expected, read) = (Node(18, 17, NodeRole.Assistant, "turn 18"), whole[12]); // with images and a warning
        Assert.Equal(expected with { ImageUrls = [], Warnings = [] }, read with { ImageUrls = [], Warnings = [] });
        Assert.Equal(expected.ImageUrls, read.ImageUrls);
        Assert.Equal(expected.Warnings, read.Warnings);

        Assert.Equal([30UL, 29, 28, 27, 26], (await Store.GetChainAsync(30, 5, ct)).Select(n => n.Id));
        Assert.Equal([42UL, 41], (await Store.GetChainAsync(42, 25, ct)).Select(n => n.Id));
        Assert.Equal([50UL, 51, 50, 51], (await Store.GetChainAsync(50, 4, ct)).Select(n => n.Id));
        Assert.Empty(await Store.GetChainAsync(999, 25, ct));
    }

    [Fact]
    public async Task Snowflakes_near_the_top_of_the_range_survive()
    {
        var ct = TestContext.Current.CancellationToken;
        const ulong big = 0x7FFF_FFFF_FFFF_FFF0;
        await Store.PutAsync([Node(big, big - 1) with { ChannelId = big - 2, GuildId = big - 3, AuthorId = big - 4 }], ct);

        var read = await Store.GetAsync(big, ct);

        Assert.Equal((big, big - 1, big - 2, big - 3, big - 4), (read!.Id, read.ParentId!.Value, read.ChannelId, read.GuildId!.Value, read.AuthorId));
    }

    [Fact]
    public async Task Putting_a_node_again_replaces_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await Store.PutAsync([Node(5, text: "first")], ct);
        await Store.PutAsync([Node(5, text: "edited")], ct);

        Assert.Equal("edited", (await Store.GetAsync(5, ct))!.Text);
    }

    [Fact]
    public async Task Delete_removes_only_that_node()
    {
        var ct = TestContext.Current.CancellationToken;
        await Store.PutAsync([Node(7), Node(8, 7)], ct);

        await Store.DeleteAsync(7, ct);

        Assert.Null(await Store.GetAsync(7, ct));
        Assert.Equal(7UL, (await Store.GetAsync(8, ct))!.ParentId);
    }

    [Fact]
    public async Task Reset_points_are_per_channel_and_user_and_move_forward()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(0UL, await Store.GetResetAsync(10, 100, ct));

        await Store.SetResetAsync(10, 100, 50, ct);
        await Store.SetResetAsync(10, 101, 60, ct);
        await Store.SetResetAsync(10, 100, 70, ct);

        Assert.Equal(70UL, await Store.GetResetAsync(10, 100, ct));
        Assert.Equal(60UL, await Store.GetResetAsync(10, 101, ct));
        Assert.Equal(0UL, await Store.GetResetAsync(11, 100, ct));
    }

    [Fact]
    public async Task Old_nodes_are_cleaned_up()
    {
        var ct = TestContext.Current.CancellationToken;
        await Store.PutAsync([Node(20, minutes: 0), Node(21, minutes: 10), Node(22, minutes: 20)], ct);

        var removed = await Store.DeleteOlderThanAsync(T0.AddMinutes(15), ct);

        Assert.Equal(2, removed);
        Assert.Null(await Store.GetAsync(20, ct));
        Assert.NotNull(await Store.GetAsync(22, ct));
    }

    [Fact]
    public async Task Channel_settings_are_stored_replaced_and_cleared()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(Cordial.Bot.Settings.ChannelSettings.Empty, await Settings.GetAsync(10, ct));

        await Settings.SetAsync(10, new Cordial.Bot.Settings.ChannelSettings("Be terse.", "sim-large"), ct);
        await Settings.SetAsync(11, new Cordial.Bot.Settings.ChannelSettings(Model: "sim-small"), ct);
        await Settings.SetAsync(10, new Cordial.Bot.Settings.ChannelSettings("Be kind.", null), ct);

        Assert.Equal(new Cordial.Bot.Settings.ChannelSettings("Be kind.", null), await Settings.GetAsync(10, ct));
        Assert.Equal(new Cordial.Bot.Settings.ChannelSettings(null, "sim-small"), await Settings.GetAsync(11, ct));

        await Settings.SetAsync(11, Cordial.Bot.Settings.ChannelSettings.Empty, ct);
        Assert.Equal(Cordial.Bot.Settings.ChannelSettings.Empty, await Settings.GetAsync(11, ct));
    }

    [Fact]
    public async Task Usage_adds_up_per_user_and_day()
    {
        var ct = TestContext.Current.CancellationToken;
        var today = new DateOnly(2026, 11, 21);
        Assert.Equal(Cordial.Bot.Usage.UsageSummary.None, await Usage.GetAsync(1, today, ct));

        await Usage.RecordAsync(1, today.AddDays(-1), 100, 10, ct);
        await Usage.RecordAsync(1, today, 200, 20, ct);
        await Usage.RecordAsync(1, today, 300, 30, ct);
        await Usage.RecordAsync(2, today, 5_000_000_000, 1, ct);

        Assert.Equal(new Cordial.Bot.Usage.UsageSummary(2, 3, 600, 60), await Usage.GetAsync(1, today, ct));
        Assert.Equal(new Cordial.Bot.Usage.UsageSummary(1, 1, 5_000_000_000, 1), await Usage.GetAsync(2, today, ct));
    }

    [Fact]
    public async Task Concurrent_writers_and_readers_lose_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await Parallel.ForAsync(1000, 1200, ct, async (i, token) =>
        {
            var id = (ulong)i;
            await Store.PutAsync([Node(id, id - 1, text: $"m{i}")], token);
            Assert.Equal($"m{i}", (await Store.GetAsync(id, token))!.Text);
        });

        for (ulong id = 1000; id < 1200; id++)
        {
            Assert.Equal(id - 1, (await Store.GetAsync(id, ct))!.ParentId);
        }
    }
}
