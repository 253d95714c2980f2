using System.Data.Common;
using Cordial.Bot.Conversations;
using Cordial.Bot.Summaries;
using Cordial.Storage.Sql;

namespace Cordial.Storage.Tests.Sql;

/// <summary>Token counts stored with nodes (and migrated into older databases), and conversation summaries.</summary>
public abstract partial class SqlStoreTests
{
    private static readonly DateTimeOffset S0 = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    /// <summary>The database of the current test (set when the stores are opened).</summary>
    protected DbDataSource DataSource { get; private set; } = null!;

    protected SqlDialect Dialect { get; private set; } = null!;

    private async Task<SqlSummaryStore> SummariesAsync()
    {
        var summaries = new SqlSummaryStore(DataSource, Dialect);
        await summaries.InitializeAsync(TestContext.Current.CancellationToken);
        await summaries.InitializeAsync(TestContext.Current.CancellationToken); // idempotent
        return summaries;
    }

    [Fact]
    public async Task A_nodes_token_count_is_stored_not_recomputed()
    {
        var ct = TestContext.Current.CancellationToken;
        await Store.PutAsync([Node(300, text: "four words of text") with { TokenCount = 4242 }], ct);

        Assert.Equal(4242, (await Store.GetAsync(300, ct))!.TokenCount);
    }

    [Fact]
    public async Task A_node_without_a_count_is_stored_with_its_estimate()
    {
        var ct = TestContext.Current.CancellationToken;
        await Store.PutAsync([Node(301, text: "counted when stored") with { TokenCount = 0 }], ct);

        Assert.Equal(TokenEstimator.Estimate("counted when stored"), (await Store.GetAsync(301, ct))!.TokenCount);
    }

    [Fact]
    public async Task A_database_from_before_token_counts_gets_the_column_and_old_rows_are_counted_on_load()
    {
        var ct = TestContext.Current.CancellationToken;
        const string oldText = "a message stored by an older version of the bot, before token counts existed";
        await ExecuteAsync("ALTER TABLE message_nodes DROP COLUMN token_count", ct);
        await ExecuteAsync(
            "INSERT INTO message_nodes (id, channel_id, guild_id, author_id, author_name, role, text, parent_id, images, warnings, model, created_at) " +
            $"VALUES (400, 10, 1, 100, 'ana', 0, '{oldText}', NULL, NULL, NULL, NULL, 0)",
            ct);

        await Store.InitializeAsync(ct);
        await Store.InitializeAsync(ct); // the column exists now: nothing more to do

        var old = await Store.GetAsync(400, ct);
        Assert.Equal(oldText, old!.Text);
        Assert.Equal(TokenEstimator.Estimate(oldText), old.TokenCount);
        await Store.PutAsync([Node(401, 400, text: "new") with { TokenCount = 77 }], ct);
        Assert.Equal(77, (await Store.GetAsync(401, ct))!.TokenCount);
    }

    [Fact]
    public async Task A_summary_is_stored_replaced_and_read_back_by_its_tail()
    {
        var ct = TestContext.Current.CancellationToken;
        var summaries = await SummariesAsync();
        const ulong big = 0x7FFF_FFFF_FFFF_FFF0;
        var first = new ConversationSummary(big, "Ana asked about 🙂 emoji\nand lines.", 9, "sim-small", S0);

        Assert.Null(await summaries.GetAsync(big, ct));
        await summaries.PutAsync(first, ct);
        Assert.Equal(first, await summaries.GetAsync(big, ct));

        var second = first with { Text = "Newer.", TokenCount = 2, Model = null, CreatedAt = S0.AddMinutes(1) };
        await summaries.PutAsync(second, ct);
        Assert.Equal(second, await summaries.GetAsync(big, ct));
        Assert.Null(await summaries.GetAsync(big - 1, ct));
    }

    [Fact]
    public async Task Old_summaries_are_cleaned_up()
    {
        var ct = TestContext.Current.CancellationToken;
        var summaries = await SummariesAsync();
        await summaries.PutAsync(new ConversationSummary(1, "old", 1, "m", S0), ct);
        await summaries.PutAsync(new ConversationSummary(2, "new", 1, "m", S0.AddDays(2)), ct);

        Assert.Equal(1, await summaries.DeleteOlderThanAsync(S0.AddDays(1), ct));
        Assert.Null(await summaries.GetAsync(1, ct));
        Assert.NotNull(await summaries.GetAsync(2, ct));
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
