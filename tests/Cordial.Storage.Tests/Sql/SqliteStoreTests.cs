using Cordial.Storage.Sql;

namespace Cordial.Storage.Tests.Sql;

public sealed class SqliteStoreTests : SqlStoreTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cordial-sqlite-").FullName;
    private System.Data.Common.DbDataSource? _dataSource;

    protected override Task<(System.Data.Common.DbDataSource, SqlDialect)> OpenDataSourceAsync()
    {
        (_dataSource, var dialect) = StorageFactory.CreateDataSource(new StorageOptions { ConnectionString = "state/cordial.db" }, _directory);
        return Task.FromResult((_dataSource, dialect));
    }

    [Fact]
    public async Task Nodes_survive_closing_and_reopening_the_file()
    {
        var ct = TestContext.Current.CancellationToken;
        await Store.PutAsync([Node(42, 41, text: "remember me")], ct);
        await Store.SetResetAsync(10, 100, 40, ct);
        await _dataSource!.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var (reopened, _, _) = await OpenStoresAsync();

        Assert.Equal("remember me", (await reopened.GetAsync(42, ct))!.Text);
        Assert.Equal(40UL, await reopened.GetResetAsync(10, 100, ct));
        Assert.True(File.Exists(Path.Combine(_directory, "state", "cordial.db")));
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
