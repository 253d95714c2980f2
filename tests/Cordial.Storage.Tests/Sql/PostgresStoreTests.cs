using Cordial.Storage.Sql;

namespace Cordial.Storage.Tests.Sql;

/// <summary>
/// Runs against the PostgreSQL server named by CORDIAL_TEST_POSTGRES (scripts/test.sh starts one on 127.0.0.1);
/// each test gets a fresh database.
/// </summary>
public sealed class PostgresStoreTests : SqlStoreTests
{
    private PostgresTestDatabase? _database;

    protected override async Task<(System.Data.Common.DbDataSource, SqlDialect)> OpenDataSourceAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync("cordial_test_", TestContext.Current.CancellationToken);
        return (_database.DataSource, SqlDialect.Postgres);
    }

    protected override ValueTask CloseAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;
}
