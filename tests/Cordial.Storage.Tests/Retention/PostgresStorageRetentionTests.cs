using System.Data.Common;
using Cordial.Storage.Sql;
using Npgsql;

namespace Cordial.Storage.Tests.Retention;

/// <summary>Against the PostgreSQL server named by CORDIAL_TEST_POSTGRES (scripts/test.sh starts one); a fresh database per test.</summary>
public sealed class PostgresStorageRetentionTests : StorageRetentionTests
{
    private NpgsqlDataSource? _dataSource;
    private string? _database;
    private string? _adminConnection;

    protected override async Task<(DbDataSource DataSource, SqlDialect Dialect)> OpenDataSourceAsync()
    {
        _adminConnection = Environment.GetEnvironmentVariable("CORDIAL_TEST_POSTGRES");
        Requirement.Require(!string.IsNullOrEmpty(_adminConnection), "A PostgreSQL server (CORDIAL_TEST_POSTGRES, started by scripts/test.sh)");

        var ct = TestContext.Current.CancellationToken;
        _database = "cordial_retention_" + Guid.NewGuid().ToString("N");
        await using (var admin = NpgsqlDataSource.Create(_adminConnection!))
        await using (var create = admin.CreateCommand($"CREATE DATABASE {_database}"))
        {
            await create.ExecuteNonQueryAsync(ct);
        }

        _dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_adminConnection) { Database = _database }.ConnectionString);
        return (_dataSource, SqlDialect.Postgres);
    }

    protected override async ValueTask CloseAsync()
    {
        if (_dataSource is null)
        {
            return;
        }

        await _dataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = NpgsqlDataSource.Create(_adminConnection!);
        await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
        await drop.ExecuteNonQueryAsync();
    }
}
