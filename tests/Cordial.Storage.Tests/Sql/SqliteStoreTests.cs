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

    [Fact]
    public async Task An_old_schema_file_is_migrated_in_place()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Combine(_directory, "old.db");
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync(ct);
            await using var create = connection.CreateCommand();
            create.CommandText = """
                CREATE TABLE message_nodes (
                    id INTEGER PRIMARY KEY, channel_id INTEGER NOT NULL, guild_id INTEGER NULL, author_id INTEGER NOT NULL,
                    author_name TEXT NOT NULL, role INTEGER NOT NULL, text TEXT NOT NULL, parent_id INTEGER NULL,
                    images TEXT NULL, warnings TEXT NULL, model TEXT NULL, created_at INTEGER NOT NULL);
                INSERT INTO message_nodes VALUES (7, 10, 1, 100, 'ana', 0, 'kept from the old days', NULL, NULL, NULL, NULL, 0);
                """;
            await create.ExecuteNonQueryAsync(ct);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var (dataSource, dialect) = StorageFactory.CreateDataSource(new StorageOptions { ConnectionString = path }, _directory);
        await using (dataSource)
        {
            var store = new SqlMessageNodeStore(dataSource, dialect);
            await store.InitializeAsync(ct);

            var old = await store.GetAsync(7, ct);
            Assert.Equal(Cordial.Bot.Conversations.TokenEstimator.Estimate("kept from the old days"), old!.TokenCount);
            await store.PutAsync([old with { Id = 8, ParentId = 7, TokenCount = 5 }], ct);
            Assert.Equal(5, (await store.GetAsync(8, ct))!.TokenCount);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
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
