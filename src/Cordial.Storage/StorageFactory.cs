using System.Data.Common;
using System.Runtime.CompilerServices;
using Cordial.Storage.Sql;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cordial.Storage;

/// <summary>Opens the configured database and returns its stores, schema created.</summary>
public static class StorageFactory
{
    /// <summary>Creates the data source for the configured provider. The caller owns and disposes it.</summary>
    public static (DbDataSource DataSource, SqlDialect Dialect) CreateDataSource(StorageOptions options, string contentRoot)
    {
        return options.Provider == "postgres"
            ? (CreatePostgres(options.ConnectionString!), SqlDialect.Postgres)
            : (CreateSqlite(options.ConnectionString, contentRoot), SqlDialect.Sqlite);
    }

    // One method per provider, never inlined: compiling the caller loads neither provider's assembly, so a SQLite bot
    // never maps Npgsql (~1 MB resident).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static DbDataSource CreatePostgres(string connectionString) => NpgsqlDataSource.Create(connectionString);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static DbDataSource CreateSqlite(string? connectionString, string contentRoot)
    {
        var text = string.IsNullOrWhiteSpace(connectionString) ? "data/cordial.db" : connectionString;
        var builder = text.Contains('=', StringComparison.Ordinal)
            ? new SqliteConnectionStringBuilder(text)
            : new SqliteConnectionStringBuilder { DataSource = text };
        if (builder.DataSource is not (":memory:" or "") && !Path.IsPathRooted(builder.DataSource))
        {
            builder.DataSource = Path.Combine(contentRoot, builder.DataSource);
        }

        if (Path.GetDirectoryName(builder.DataSource) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        builder.Pooling = true;
        var dataSource = SqliteFactory.Instance.CreateDataSource(builder.ConnectionString);
        using (var pragma = dataSource.CreateCommand("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"))
        {
            pragma.ExecuteNonQuery();
        }

        return dataSource;
    }
}
