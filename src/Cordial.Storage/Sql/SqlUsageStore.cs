using System.Data.Common;
using Cordial.Bot.Usage;

namespace Cordial.Storage.Sql;

/// <summary>Answered requests and tokens per user and day, in SQLite or PostgreSQL. Thread-safe; the caller owns the data source.</summary>
public sealed class SqlUsageStore(DbDataSource dataSource, SqlDialect dialect) : IUsageStore
{
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var big = dialect.BigInteger;
        await using var command = dataSource.CreateCommand($"""
            CREATE TABLE IF NOT EXISTS usage_daily (
                user_id {big} NOT NULL,
                day INTEGER NOT NULL,
                requests {big} NOT NULL,
                input_tokens {big} NOT NULL,
                output_tokens {big} NOT NULL,
                PRIMARY KEY (user_id, day))
            """);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RecordAsync(ulong userId, DateOnly day, long inputTokens, long outputTokens, CancellationToken cancellationToken)
    {
        using var writer = await SqlWriteGate.EnterAsync(dataSource, dialect, cancellationToken);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO usage_daily (user_id, day, requests, input_tokens, output_tokens) VALUES (@user, @day, 1, @input, @output)
            ON CONFLICT (user_id, day) DO UPDATE SET
                requests = usage_daily.requests + 1,
                input_tokens = usage_daily.input_tokens + excluded.input_tokens,
                output_tokens = usage_daily.output_tokens + excluded.output_tokens
            """);
        command.AddParameter("user", (long)userId);
        command.AddParameter("day", day.DayNumber);
        command.AddParameter("input", inputTokens);
        command.AddParameter("output", outputTokens);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<UsageSummary> GetAsync(ulong userId, DateOnly today, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT COALESCE(SUM(CASE WHEN day = @today THEN requests ELSE 0 END), 0),
                   COALESCE(SUM(requests), 0), COALESCE(SUM(input_tokens), 0), COALESCE(SUM(output_tokens), 0)
            FROM usage_daily WHERE user_id = @user
            """);
        command.AddParameter("user", (long)userId);
        command.AddParameter("today", today.DayNumber);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new UsageSummary(Long(reader, 0), Long(reader, 1), Long(reader, 2), Long(reader, 3));
    }

    // SUM over BIGINT is NUMERIC in PostgreSQL and INTEGER in SQLite: read either.
    private static long Long(DbDataReader reader, int ordinal) => Convert.ToInt64(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Retention: deletes the rows of days before <paramref name="firstKeptDay"/>; returns how many were removed.</summary>
    public async Task<int> DeleteBeforeAsync(DateOnly firstKeptDay, CancellationToken cancellationToken)
    {
        using var writer = await SqlWriteGate.EnterAsync(dataSource, dialect, cancellationToken);
        await using var command = dataSource.CreateCommand("DELETE FROM usage_daily WHERE day < @day");
        command.AddParameter("day", firstKeptDay.DayNumber);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
