using System.Data.Common;
using System.Runtime.CompilerServices;

namespace Cordial.Storage.Sql;

/// <summary>
/// One writer at a time per SQLite database, waited for asynchronously. SQLite allows one writer; a second one gets
/// SQLITE_BUSY, and Microsoft.Data.Sqlite then retries by sleeping on the calling thread (its async methods run
/// synchronously) — under a burst of messages that parks thread-pool threads for hundreds of milliseconds and delays
/// everything else the bot does, interaction acknowledgements included. Queuing writers here costs nothing of that.
/// PostgreSQL needs no gate: it has row locks and its own connection pool.
/// </summary>
internal static class SqlWriteGate
{
    // Keyed by the data source (one per database): the stores of one database share its gate.
    private static readonly ConditionalWeakTable<DbDataSource, SemaphoreSlim> Gates = new();

    public static async ValueTask<Held> EnterAsync(DbDataSource dataSource, SqlDialect dialect, CancellationToken cancellationToken)
    {
        if (dialect != SqlDialect.Sqlite)
        {
            return default;
        }

        var gate = Gates.GetValue(dataSource, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Held(gate);
    }

    /// <summary>The gate held by one writer; disposing releases it (a no-op for PostgreSQL).</summary>
    public readonly struct Held(SemaphoreSlim? gate) : IDisposable
    {
        public void Dispose() => gate?.Release();
    }
}
