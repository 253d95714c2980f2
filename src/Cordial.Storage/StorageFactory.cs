using System.Data.Common;
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
        if (options.Provider == "postgres")
        {
            return (NpgsqlDataSource.Create(options.ConnectionString!), SqlDialect.Postgres);
        }

        var text = string.IsNullOrWhiteSpace(options.ConnectionString) ? "data/cordial.db" : options.ConnectionString;
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

        return (dataSource, SqlDialect.Sqlite);
    }
}
