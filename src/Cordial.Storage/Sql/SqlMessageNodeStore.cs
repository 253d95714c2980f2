using System.Data.Common;
using Cordial.Bot.Conversations;

namespace Cordial.Storage.Sql;

/// <summary>
/// Message nodes and reset points in SQLite or PostgreSQL, through plain ADO.NET. Both dialects accept the same
/// statements (named @parameters, INSERT … ON CONFLICT … DO UPDATE); only the DDL types differ.
/// </summary>
/// <remarks>Thread-safe: every call takes its own pooled connection from the <see cref="DbDataSource"/>, which the caller owns.</remarks>
public sealed class SqlMessageNodeStore : IMessageNodeStore
{
    private const string NodeColumns = "id, channel_id, guild_id, author_id, author_name, role, text, parent_id, images, warnings, model, created_at, token_count";

    private readonly DbDataSource _dataSource;
    private readonly SqlDialect _dialect;

    public SqlMessageNodeStore(DbDataSource dataSource, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(dialect);
        _dataSource = dataSource;
        _dialect = dialect;
    }

    /// <summary>Creates the tables when they do not exist, and adds columns newer versions need. Idempotent.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var big = _dialect.BigInteger;
        await using var command = _dataSource.CreateCommand($"""
            CREATE TABLE IF NOT EXISTS message_nodes (
                id {big} PRIMARY KEY,
                channel_id {big} NOT NULL,
                guild_id {big} NULL,
                author_id {big} NOT NULL,
                author_name TEXT NOT NULL,
                role INTEGER NOT NULL,
                text TEXT NOT NULL,
                parent_id {big} NULL,
                images TEXT NULL,
                warnings TEXT NULL,
                model TEXT NULL,
                created_at {big} NOT NULL);
            CREATE INDEX IF NOT EXISTS message_nodes_created_at ON message_nodes (created_at);
            CREATE TABLE IF NOT EXISTS conversation_resets (
                channel_id {big} NOT NULL,
                user_id {big} NOT NULL,
                message_id {big} NOT NULL,
                PRIMARY KEY (channel_id, user_id));
            """);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await AddTokenCountColumnAsync(cancellationToken);
    }

    public async ValueTask<MessageNode?> GetAsync(ulong messageId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {NodeColumns} FROM message_nodes WHERE id = @id");
        command.AddParameter("id", (long)messageId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadNode(reader) : null;
    }

    public async ValueTask<IReadOnlyList<MessageNode>> GetChainAsync(ulong messageId, int maxNodes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNodes, 1);

        // One statement walks the parent links (both dialects have recursive common table expressions). The walk goes on
        // only through rows that exist, so the rows come back unbroken, newest first; the depth bound also ends a cycle,
        // which only corrupt data could make.
        await using var command = _dataSource.CreateCommand($"""
            WITH RECURSIVE chain (node_id, depth) AS (
                SELECT @id, 0
                UNION ALL
                SELECT message_nodes.parent_id, chain.depth + 1
                FROM chain JOIN message_nodes ON message_nodes.id = chain.node_id
                WHERE message_nodes.parent_id IS NOT NULL AND chain.depth + 1 < @max_nodes)
            SELECT {NodeColumns} FROM chain JOIN message_nodes ON message_nodes.id = chain.node_id ORDER BY chain.depth
            """);
        command.AddParameter("id", (long)messageId);
        command.AddParameter("max_nodes", maxNodes);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var chain = new List<MessageNode>();
        while (await reader.ReadAsync(cancellationToken))
        {
            chain.Add(ReadNode(reader));
        }

        return chain;
    }

    public async Task PutAsync(IReadOnlyList<MessageNode> nodes, CancellationToken cancellationToken)
    {
        using var writer = await SqlWriteGate.EnterAsync(_dataSource, _dialect, cancellationToken);
        if (nodes.Count == 0)
        {
            return;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One command for the batch, its statement prepared once and its parameters reused: a command per node parsed
        // the statement and built 13 parameters again for every row (docs/PERFORMANCE.md, sixth session).
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT INTO message_nodes ({NodeColumns})
            VALUES (@id, @channel_id, @guild_id, @author_id, @author_name, @role, @text, @parent_id, @images, @warnings, @model, @created_at, @token_count)
            ON CONFLICT (id) DO UPDATE SET
                channel_id = excluded.channel_id, guild_id = excluded.guild_id, author_id = excluded.author_id,
                author_name = excluded.author_name, role = excluded.role, text = excluded.text, parent_id = excluded.parent_id,
                images = excluded.images, warnings = excluded.warnings, model = excluded.model, created_at = excluded.created_at,
                token_count = excluded.token_count
            """;
        var id = command.AddParameter("id");
        var channelId = command.AddParameter("channel_id");
        var guildId = command.AddParameter("guild_id");
        var authorId = command.AddParameter("author_id");
        var authorName = command.AddParameter("author_name");
        var role = command.AddParameter("role");
        var text = command.AddParameter("text");
        var parentId = command.AddParameter("parent_id");
        var images = command.AddParameter("images");
        var warnings = command.AddParameter("warnings");
        var model = command.AddParameter("model");
        var createdAt = command.AddParameter("created_at");
        var tokenCount = command.AddParameter("token_count");
        foreach (var node in nodes)
        {
            id.Set((long)node.Id);
            channelId.Set((long)node.ChannelId);
            guildId.Set(node.GuildId is { } g ? (long)g : null);
            authorId.Set((long)node.AuthorId);
            authorName.Set(node.AuthorName);
            role.Set((int)node.Role);
            text.Set(node.Text);
            parentId.Set(node.ParentId is { } p ? (long)p : null);
            images.Set(Join(node.ImageUrls));
            warnings.Set(Join(node.Warnings));
            model.Set(node.Model);
            createdAt.Set(node.CreatedAt.ToUnixTimeMilliseconds());
            tokenCount.Set(node.Tokens);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task DeleteAsync(ulong messageId, CancellationToken cancellationToken)
    {
        using var writer = await SqlWriteGate.EnterAsync(_dataSource, _dialect, cancellationToken);
        await using var command = _dataSource.CreateCommand("DELETE FROM message_nodes WHERE id = @id");
        command.AddParameter("id", (long)messageId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task SetResetAsync(ulong channelId, ulong userId, ulong messageId, CancellationToken cancellationToken)
    {
        using var writer = await SqlWriteGate.EnterAsync(_dataSource, _dialect, cancellationToken);
        await using var command = _dataSource.CreateCommand("""
            INSERT INTO conversation_resets (channel_id, user_id, message_id) VALUES (@channel_id, @user_id, @message_id)
            ON CONFLICT (channel_id, user_id) DO UPDATE SET message_id = excluded.message_id
            """);
        command.AddParameter("channel_id", (long)channelId);
        command.AddParameter("user_id", (long)userId);
        command.AddParameter("message_id", (long)messageId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask<ulong> GetResetAsync(ulong channelId, ulong userId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT message_id FROM conversation_resets WHERE channel_id = @channel_id AND user_id = @user_id");
        command.AddParameter("channel_id", (long)channelId);
        command.AddParameter("user_id", (long)userId);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? 0 : (ulong)Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        using var writer = await SqlWriteGate.EnterAsync(_dataSource, _dialect, cancellationToken);
        await using var command = _dataSource.CreateCommand("DELETE FROM message_nodes WHERE created_at < @cutoff");
        command.AddParameter("cutoff", cutoff.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static MessageNode ReadNode(DbDataReader reader) => new()
    {
        Id = (ulong)reader.GetInt64(0),
        ChannelId = (ulong)reader.GetInt64(1),
        GuildId = reader.IsDBNull(2) ? null : (ulong)reader.GetInt64(2),
        AuthorId = (ulong)reader.GetInt64(3),
        AuthorName = reader.GetString(4),
        Role = (NodeRole)reader.GetInt32(5),
        Text = reader.GetString(6),
        ParentId = reader.IsDBNull(7) ? null : (ulong)reader.GetInt64(7),
        ImageUrls = Split(reader.IsDBNull(8) ? null : reader.GetString(8)),
        Warnings = Split(reader.IsDBNull(9) ? null : reader.GetString(9)),
        Model = reader.IsDBNull(10) ? null : reader.GetString(10),
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(11)),
        TokenCount = reader.IsDBNull(12) ? TokenEstimator.Estimate(reader.GetString(6)) : reader.GetInt32(12), // rows from before the column: computed once, on load
    };

    // Image URLs and warnings never contain a newline, so a newline-separated list is enough.
    private static string? Join(IReadOnlyList<string> items) => items.Count == 0 ? null : string.Join('\n', items);

    private static string[] Split(string? text) => string.IsNullOrEmpty(text) ? [] : text.Split('\n');

    /// <summary>
    /// Databases made before token counts were stored get the column (NULL in old rows: <see cref="ReadNode"/> computes
    /// those on load). PostgreSQL has ADD COLUMN IF NOT EXISTS; SQLite is asked for its columns first.
    /// </summary>
    private async Task AddTokenCountColumnAsync(CancellationToken cancellationToken)
    {
        if (_dialect == SqlDialect.Sqlite)
        {
            await using var check = _dataSource.CreateCommand("SELECT COUNT(*) FROM pragma_table_info('message_nodes') WHERE name = 'token_count'");
            if (Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                return;
            }

            await using var add = _dataSource.CreateCommand("ALTER TABLE message_nodes ADD COLUMN token_count INTEGER NULL");
            await add.ExecuteNonQueryAsync(cancellationToken);
            return;
        }

        await using var command = _dataSource.CreateCommand("ALTER TABLE message_nodes ADD COLUMN IF NOT EXISTS token_count INTEGER NULL");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Retention: deletes the nodes created before <paramref name="cutoff"/> and the reset points set before it (a reset
    /// point's time is its message id's snowflake timestamp). Returns how many of each were removed.
    /// </summary>
    public async Task<(int Nodes, int Resets)> DeleteExpiredAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        const long DiscordEpochMilliseconds = 1_420_070_400_000;
        var nodes = await DeleteOlderThanAsync(cutoff, cancellationToken);
        var sinceEpoch = Math.Max(0, cutoff.ToUnixTimeMilliseconds() - DiscordEpochMilliseconds);
        using var writer = await SqlWriteGate.EnterAsync(_dataSource, _dialect, cancellationToken);
        await using var command = _dataSource.CreateCommand("DELETE FROM conversation_resets WHERE message_id < @first_kept");
        command.AddParameter("first_kept", sinceEpoch << 22);
        var resets = await command.ExecuteNonQueryAsync(cancellationToken);
        return (nodes, resets);
    }
}
