using BenchmarkDotNet.Attributes;
using Cordial.Bot.Conversations;
using Cordial.Storage;
using Cordial.Storage.Sql;

namespace Cordial.Benchmarks.Storage;

/// <summary>
/// Reading a 25-message conversation that is not in memory from a real SQLite file: node by node (25 statements, as
/// the node cache read it until the eleventh session) against the whole chain in one statement
/// (<see cref="SqlMessageNodeStore.GetChainAsync"/>, what the node cache does on a miss now).
/// Run: dotnet run -c Release --project bench/Cordial.Benchmarks -- --filter *ConversationRead* --job short --inProcess
/// </summary>
[MemoryDiagnoser]
public class ConversationReadBenchmarks
{
    private const int Length = 25;
    private const ulong Newest = 1_000 + Length - 1;

    private string _directory = null!;
    private System.Data.Common.DbDataSource _dataSource = null!;
    private SqlMessageNodeStore _store = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("cordial-bench-").FullName;
        (_dataSource, var dialect) = StorageFactory.CreateDataSource(new StorageOptions { ConnectionString = "bench.db" }, _directory);
        _store = new SqlMessageNodeStore(_dataSource, dialect);
        _store.InitializeAsync(CancellationToken.None).GetAwaiter().GetResult();
        var nodes = new List<MessageNode>();
        for (var i = 0; i < Length; i++)
        {
            var user = i % 2 == 0;
            var text = user
                ? $"Question {i}: how would you structure a small service that reads events from a queue?"
                : $"Answer {i}: keep one reader loop, hand each event to a bounded channel, retry with jittered backoff, and count what happens.";
            nodes.Add(new MessageNode
            {
                Id = 1_000 + (ulong)i,
                ChannelId = 10,
                GuildId = 1,
                AuthorId = user ? 7UL : 999UL,
                AuthorName = user ? "ana" : "Cordial",
                Role = user ? NodeRole.User : NodeRole.Assistant,
                Text = text,
                TokenCount = TokenEstimator.Estimate(text),
                ParentId = i == 0 ? null : 1_000 + (ulong)i - 1,
                CreatedAt = DateTimeOffset.UnixEpoch,
            });
        }

        _store.PutAsync(nodes, CancellationToken.None).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _dataSource.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public async Task<int> NodeByNode()
    {
        var count = 0;
        for (ulong? next = Newest; next is { } id && await _store.GetAsync(id, CancellationToken.None) is { } node; next = node.ParentId)
        {
            count++;
        }

        return count;
    }

    [Benchmark]
    public async Task<int> WholeChain() => (await _store.GetChainAsync(Newest, Length, CancellationToken.None)).Count;
}
