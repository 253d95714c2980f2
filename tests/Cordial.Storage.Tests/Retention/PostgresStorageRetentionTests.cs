using System.Data.Common;
using Cordial.Storage.Sql;

namespace Cordial.Storage.Tests.Retention;

/// <summary>Against the PostgreSQL server named by CORDIAL_TEST_POSTGRES (scripts/test.sh starts one); a fresh database per test.</summary>
public sealed class PostgresStorageRetentionTests : StorageRetentionTests
{
    private PostgresTestDatabase? _database;

    protected override async Task<(DbDataSource DataSource, SqlDialect Dialect)> OpenDataSourceAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync("cordial_retention_", TestContext.Current.CancellationToken);
        return (_database.DataSource, SqlDialect.Postgres);
    }

    protected override ValueTask CloseAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;
}
