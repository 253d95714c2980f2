using System.Data.Common;
using Cordial.Storage.Sql;

namespace Cordial.Storage.Tests.Retention;

public sealed class SqliteStorageRetentionTests : StorageRetentionTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cordial-retention-").FullName;
    private DbDataSource? _dataSource;

    protected override Task<(DbDataSource DataSource, SqlDialect Dialect)> OpenDataSourceAsync()
    {
        (_dataSource, var dialect) = StorageFactory.CreateDataSource(new StorageOptions { ConnectionString = "cordial.db" }, _directory);
        return Task.FromResult((_dataSource, dialect));
    }

    protected override async ValueTask CloseAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
