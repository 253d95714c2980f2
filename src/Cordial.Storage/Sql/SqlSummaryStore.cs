using System.Data.Common;
using Cordial.Bot.Summaries;

namespace Cordial.Storage.Sql;

/// <summary>Conversation summaries in SQLite or PostgreSQL, keyed by the newest message each covers.</summary>
/// <remarks>Thread-safe: every call takes its own pooled connection from the <see cref="DbDataSource"/>, which the caller owns.</remarks>
public sealed class SqlSummaryStore : ISummaryStore
{
    private readonly DbDataSource _dataSource;
    private readonly SqlDialect _dialect;

    public SqlSummaryStore(DbDataSource dataSource, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(dialect);
        _dataSource = dataSource;
        _dialect = dialect;
    }

    /// <summary>Creates the table when it does not exist. Idempotent.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var big = _dialect.BigInteger;
        await using var command = _dataSource.CreateCommand($"""
            CREATE TABLE IF NOT EXISTS conversation_summaries (
                tail_id {big} PRIMARY KEY,
                text TEXT NOT NULL,
                token_count INTEGER NOT NULL,
                model TEXT NULL,
                created_at {big} NOT NULL);
            CREATE INDEX IF NOT EXISTS conversation_summaries_created_at ON conversation_summaries (created_at);
            """);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask<ConversationSummary?> GetAsync(ulong tailId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT text, token_count, model, created_at FROM conversation_summaries WHERE tail_id = @tail_id");
        command.AddParameter("tail_id", (long)tailId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new ConversationSummary(
            tailId,
            reader.GetString(0),
            reader.GetInt32(1),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));
    }

    public async Task PutAsync(ConversationSummary summary, CancellationToken cancellationToken)
    {
        using var writer = await SqlWriteGate.EnterAsync(_dataSource, _dialect, cancellationToken);
        ArgumentNullException.ThrowIfNull(summary);
        await using var command = _dataSource.CreateCommand("""
            INSERT INTO conversation_summaries (tail_id, text, token_count, model, created_at)
            VALUES (@tail_id, @text, @token_count, @model, @created_at)
            ON CONFLICT (tail_id) DO UPDATE SET
                text = excluded.text, token_count = excluded.token_count, model = excluded.model, created_at = excluded.created_at
            """);
        command.AddParameter("tail_id", (long)summary.TailId);
        command.AddParameter("text", summary.Text);
        command.AddParameter("token_count", summary.TokenCount);
        command.AddParameter("model", summary.Model);
        command.AddParameter("created_at", summary.CreatedAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        using var writer = await SqlWriteGate.EnterAsync(_dataSource, _dialect, cancellationToken);
        await using var command = _dataSource.CreateCommand("DELETE FROM conversation_summaries WHERE created_at < @cutoff");
        command.AddParameter("cutoff", cutoff.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
