using System.Data.Common;
using Cordial.Llm.Quotas;

namespace Cordial.Storage.Sql;

/// <summary>
/// The quota ledger's state (<see cref="IQuotaStateStore"/>) in SQLite or PostgreSQL: one row per user, guild and
/// provider; each batch written in one transaction. Thread-safe; the caller owns the data source.
/// </summary>
/// <remarks>The table is created on first use (the ledger restores before the bot's other stores are prepared).</remarks>
public sealed class SqlQuotaStore(DbDataSource dataSource, SqlDialect dialect) : IQuotaStateStore
{
    private volatile bool _created;

    /// <summary>Creates the table when missing (idempotent; also done on first use).</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var big = dialect.BigInteger;
        await using var command = dataSource.CreateCommand($"""
            CREATE TABLE IF NOT EXISTS quota_state (
                scope INTEGER NOT NULL,
                key TEXT NOT NULL,
                requests_minute {big} NOT NULL,
                requests_day {big} NOT NULL,
                tokens_minute {big} NOT NULL,
                tokens_day {big} NOT NULL,
                idle_at {big} NOT NULL,
                PRIMARY KEY (scope, key));
            CREATE INDEX IF NOT EXISTS quota_state_idle_at ON quota_state (idle_at)
            """);
        await command.ExecuteNonQueryAsync(cancellationToken);
        _created = true;
    }

    public async Task<IReadOnlyList<QuotaStateEntry>> LoadAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var command = dataSource.CreateCommand("""
            SELECT scope, key, requests_minute, requests_day, tokens_minute, tokens_day FROM quota_state WHERE idle_at > @now
            """);
        command.AddParameter("now", now.UtcTicks);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<QuotaStateEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var scope = reader.GetInt32(0);
            if (!Enum.IsDefined((QuotaScope)scope))
            {
                continue; // written by a newer version
            }

            entries.Add(new QuotaStateEntry((QuotaScope)scope, reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5)));
        }

        return entries;
    }

    public async Task SaveAsync(IReadOnlyList<QuotaStateEntry> changed, DateTimeOffset? pruneBefore, CancellationToken cancellationToken)
    {
        using var writer = await SqlWriteGate.EnterAsync(dataSource, dialect, cancellationToken);
        ArgumentNullException.ThrowIfNull(changed);
        if (changed.Count == 0 && pruneBefore is null)
        {
            return;
        }

        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (changed.Count > 0)
        {
            await using var upsert = connection.CreateCommand();
            upsert.Transaction = transaction;
            upsert.CommandText = """
                INSERT INTO quota_state (scope, key, requests_minute, requests_day, tokens_minute, tokens_day, idle_at)
                VALUES (@scope, @key, @requests_minute, @requests_day, @tokens_minute, @tokens_day, @idle_at)
                ON CONFLICT (scope, key) DO UPDATE SET
                    requests_minute = excluded.requests_minute, requests_day = excluded.requests_day,
                    tokens_minute = excluded.tokens_minute, tokens_day = excluded.tokens_day, idle_at = excluded.idle_at
                """;
            string[] names = ["scope", "key", "requests_minute", "requests_day", "tokens_minute", "tokens_day", "idle_at"];
            foreach (var name in names)
            {
                upsert.AddParameter(name, null);
            }

            foreach (var entry in changed)
            {
                upsert.Parameters[0].Value = (int)entry.Scope;
                upsert.Parameters[1].Value = entry.Key;
                upsert.Parameters[2].Value = entry.RequestsPerMinute;
                upsert.Parameters[3].Value = entry.RequestsPerDay;
                upsert.Parameters[4].Value = entry.TokensPerMinute;
                upsert.Parameters[5].Value = entry.TokensPerDay;
                upsert.Parameters[6].Value = entry.IdleAt;
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        if (pruneBefore is { } before)
        {
            await using var prune = connection.CreateCommand();
            prune.Transaction = transaction;
            prune.CommandText = "DELETE FROM quota_state WHERE idle_at <= @before";
            prune.AddParameter("before", before.UtcTicks);
            await prune.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private Task EnsureCreatedAsync(CancellationToken cancellationToken) =>
        _created ? Task.CompletedTask : InitializeAsync(cancellationToken);
}
