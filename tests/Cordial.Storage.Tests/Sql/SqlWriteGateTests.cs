using Cordial.Bot.Conversations;
using Cordial.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace Cordial.Storage.Tests.Sql;

public sealed class SqlWriteGateTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cordial-gate-").FullName;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task One_writer_at_a_time_per_sqlite_database_and_databases_do_not_wait_for_each_other()
    {
        using var first = SqliteFactory.Instance.CreateDataSource($"Data Source={Path.Combine(_directory, "a.db")}");
        using var second = SqliteFactory.Instance.CreateDataSource($"Data Source={Path.Combine(_directory, "b.db")}");

        var held = await SqlWriteGate.EnterAsync(first, SqlDialect.Sqlite, Token);
        var waiting = SqlWriteGate.EnterAsync(first, SqlDialect.Sqlite, Token).AsTask();
        using (await SqlWriteGate.EnterAsync(second, SqlDialect.Sqlite, Token).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Token))
        {
            Assert.False(waiting.IsCompleted);
        }

        held.Dispose();
        (await waiting.WaitAsync(TimeSpan.FromSeconds(30), Token)).Dispose();
    }

    [Fact]
    public async Task Postgres_writers_are_not_gated()
    {
        using var dataSource = SqliteFactory.Instance.CreateDataSource($"Data Source={Path.Combine(_directory, "c.db")}");
        using var one = await SqlWriteGate.EnterAsync(dataSource, SqlDialect.Postgres, Token);
        var two = SqlWriteGate.EnterAsync(dataSource, SqlDialect.Postgres, Token);
        Assert.True(two.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Many_concurrent_writers_to_one_sqlite_file_all_land()
    {
        var (dataSource, dialect) = StorageFactory.CreateDataSource(new StorageOptions { ConnectionString = Path.Combine(_directory, "many.db") }, _directory);
        await using (dataSource)
        {
            var store = new SqlMessageNodeStore(dataSource, dialect);
            await store.InitializeAsync(Token);
            await Parallel.ForAsync(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = Token }, async (i, ct) =>
            {
                await store.PutAsync([new MessageNode { Id = (ulong)(i + 1), ChannelId = 1, AuthorId = 2, Role = NodeRole.User, Text = $"m{i}", CreatedAt = DateTimeOffset.UnixEpoch }], ct);
                await store.SetResetAsync(1, (ulong)i, (ulong)(i + 1), ct);
            });

            for (var i = 0; i < 200; i++)
            {
                Assert.Equal($"m{i}", (await store.GetAsync((ulong)(i + 1), Token))?.Text);
            }
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
