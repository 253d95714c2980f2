using Cordial.Bot.Conversations;
using Cordial.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cordial.Bot.Tests.Conversations;

public sealed class WriteBehindMessageNodeStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MessageNode Node(ulong id, string text = "x") => new()
    {
        Id = id,
        ChannelId = 10,
        AuthorId = 1,
        AuthorName = "user1",
        Role = NodeRole.User,
        Text = text,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public async Task A_put_returns_before_the_database_write_and_reads_see_it_meanwhile()
    {
        var inner = new GatedStore();
        await using var store = new WriteBehindMessageNodeStore(inner, NullLogger<WriteBehindMessageNodeStore>.Instance);

        await store.PutAsync([Node(1, "hello")], Ct); // the inner store is blocked: this must not wait for it

        Assert.Equal("hello", (await store.GetAsync(1, Ct))?.Text);
        await Eventually.UntilAsync(() => inner.Calls == 1, "the write to start");
        Assert.Empty(inner.Nodes);

        inner.Open();
        await Eventually.UntilAsync(() => store.PendingCount == 0, "the write to finish");
        Assert.Equal("hello", inner.Nodes[1].Text);
        Assert.Equal("hello", (await store.GetAsync(1, Ct))?.Text);
    }

    [Fact]
    public async Task Writes_that_gather_while_one_is_under_way_go_together_in_order_with_deletions()
    {
        var inner = new GatedStore();
        await using var store = new WriteBehindMessageNodeStore(inner, NullLogger<WriteBehindMessageNodeStore>.Instance);
        await store.PutAsync([Node(1)], Ct);
        await Eventually.UntilAsync(() => inner.Calls == 1, "the first write to start");

        for (var id = 2UL; id <= 101; id++)
        {
            await store.PutAsync([Node(id)], Ct);
        }

        await store.DeleteAsync(50, Ct);
        await store.PutAsync([Node(7, "edited")], Ct);
        Assert.Null(await store.GetAsync(50, Ct)); // deleted, though not yet written

        inner.Open();
        await Eventually.UntilAsync(() => store.PendingCount == 0, "the writes to finish");

        Assert.Equal(100, inner.Nodes.Count); // 101 put, one deleted
        Assert.False(inner.Nodes.ContainsKey(50));
        Assert.Equal("edited", inner.Nodes[7].Text);
        Assert.True(inner.PutCalls <= 3, $"{inner.PutCalls} put calls"); // the first, the 49 before the deletion, the rest
    }

    [Fact]
    public async Task A_node_put_again_before_it_was_written_is_written_once_with_the_newer_content()
    {
        var inner = new GatedStore();
        await using var store = new WriteBehindMessageNodeStore(inner, NullLogger<WriteBehindMessageNodeStore>.Instance);
        await store.PutAsync([Node(1)], Ct);
        await Eventually.UntilAsync(() => inner.Calls == 1, "the first write to start");

        await store.PutAsync([Node(2, "the first words")], Ct);
        await store.PutAsync([Node(2, "the whole answer")], Ct);
        inner.Open();
        await Eventually.UntilAsync(() => store.PendingCount == 0, "the writes to finish");

        Assert.Equal("the whole answer", inner.Nodes[2].Text);
        Assert.Equal(2, inner.NodesWritten); // node 1, then node 2 once
    }

    [Fact]
    public async Task A_chain_starts_with_the_nodes_not_yet_written_and_their_newer_state_wins()
    {
        var inner = new GatedStore(); // stays closed: every put below waits to be written
        for (var id = 1UL; id <= 5; id++)
        {
            inner.Nodes[id] = Node(id) with { ParentId = id == 1 ? null : id - 1 };
        }

        await using var store = new WriteBehindMessageNodeStore(inner, NullLogger<WriteBehindMessageNodeStore>.Instance);
        await store.PutAsync([Node(6) with { ParentId = 5 }, Node(7) with { ParentId = 6 }], Ct);

        Assert.Equal([7UL, 6, 5, 4, 3, 2, 1], (await store.GetChainAsync(7, 25, Ct)).Select(n => n.Id));
        Assert.Equal([7UL, 6, 5], (await store.GetChainAsync(7, 3, Ct)).Select(n => n.Id));

        await store.PutAsync([Node(3, "edited") with { ParentId = 2 }], Ct); // an edit of a stored message, not yet written
        var chain = await store.GetChainAsync(7, 25, Ct);
        Assert.Equal([7UL, 6, 5, 4, 3], chain.Select(n => n.Id));
        Assert.Equal("edited", chain[^1].Text);

        await store.DeleteAsync(6, Ct);
        Assert.Equal([7UL], (await store.GetChainAsync(7, 25, Ct)).Select(n => n.Id));
        inner.Open();
    }

    [Fact]
    public async Task A_failed_write_is_dropped_without_stopping_later_ones()
    {
        var inner = new GatedStore();
        inner.Open();
        inner.FailNext = true;
        await using var store = new WriteBehindMessageNodeStore(inner, NullLogger<WriteBehindMessageNodeStore>.Instance);

        await store.PutAsync([Node(1)], Ct);
        await Eventually.UntilAsync(() => store.PendingCount == 0 && !inner.FailNext, "the failing write to be done with");
        await store.PutAsync([Node(2)], Ct);
        await Eventually.UntilAsync(() => inner.Nodes.ContainsKey(2), "the next write");

        Assert.False(inner.Nodes.ContainsKey(1));
    }

    [Fact]
    public async Task While_writes_keep_coming_a_put_waits_for_the_gather_interval_instead_of_waking_the_writer()
    {
        var inner = new GatedStore();
        inner.Open();
        var time = new ManualTimeProvider();
        await using var store = new WriteBehindMessageNodeStore(inner, NullLogger<WriteBehindMessageNodeStore>.Instance, time);

        await store.PutAsync([Node(1)], Ct); // an idle writer wakes for the first put
        await Eventually.UntilAsync(() => inner.NodesWritten == 1 && time.ActiveTimers == 1, "the first write, then the gather wait");

        await store.PutAsync([Node(2)], Ct);
        await store.PutAsync([Node(3)], Ct);
        await Task.Delay(200, Ct); // real time: the writer must not have been woken by these puts
        Assert.Equal(1, inner.NodesWritten);
        Assert.Equal(2, store.PendingCount);

        time.Advance(WriteBehindMessageNodeStore.GatherInterval);
        await Eventually.UntilAsync(() => store.PendingCount == 0, "the gathered puts to be written");
        Assert.Equal(2, inner.PutCalls); // both in one batch
        Assert.Equal(3, inner.NodesWritten);

        // Quiet for an interval: the writer waits on the queue again, and the next put is written without the clock.
        await Eventually.UntilAsync(() => time.ActiveTimers == 1, "the gather wait after the batch");
        time.Advance(WriteBehindMessageNodeStore.GatherInterval);
        await Eventually.UntilAsync(() => time.ActiveTimers == 0, "the writer to wait on the queue");
        await store.PutAsync([Node(4)], Ct);
        await Eventually.UntilAsync(() => inner.NodesWritten == 4, "the put after a quiet interval");
    }

    [Fact]
    public async Task Disposing_writes_everything_still_queued()
    {
        var inner = new GatedStore();
        var store = new WriteBehindMessageNodeStore(inner, NullLogger<WriteBehindMessageNodeStore>.Instance);
        for (var id = 1UL; id <= 500; id++)
        {
            await store.PutAsync([Node(id)], Ct);
        }

        var disposing = store.DisposeAsync().AsTask();
        Assert.False(disposing.IsCompleted);
        inner.Open();
        await disposing;

        Assert.Equal(500, inner.Nodes.Count);
    }

    /// <summary>An in-memory store whose writes wait until <see cref="Open"/> is called.</summary>
    private sealed class GatedStore : IMessageNodeStore
    {
        private readonly InMemoryMessageNodeStore _inner = new();
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;
        private int _putCalls;
        private int _nodesWritten;
        private volatile bool _failNext;

        public System.Collections.Concurrent.ConcurrentDictionary<ulong, MessageNode> Nodes => _inner.Nodes;

        public int Calls => Volatile.Read(ref _calls);

        public int PutCalls => Volatile.Read(ref _putCalls);

        public int NodesWritten => Volatile.Read(ref _nodesWritten);

        public bool FailNext
        {
            get => _failNext;
            set => _failNext = value;
        }

        public void Open() => _open.TrySetResult();

        public ValueTask<MessageNode?> GetAsync(ulong messageId, CancellationToken cancellationToken) => _inner.GetAsync(messageId, cancellationToken);

        public async Task PutAsync(IReadOnlyList<MessageNode> nodes, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            Interlocked.Increment(ref _putCalls);
            await _open.Task;
            if (_failNext)
            {
                _failNext = false;
                throw new InvalidOperationException("database is locked");
            }

            Interlocked.Add(ref _nodesWritten, nodes.Count);
            await _inner.PutAsync(nodes, cancellationToken);
        }

        public async Task DeleteAsync(ulong messageId, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            await _open.Task;
            await _inner.DeleteAsync(messageId, cancellationToken);
        }

        public Task SetResetAsync(ulong channelId, ulong userId, ulong messageId, CancellationToken cancellationToken) =>
            _inner.SetResetAsync(channelId, userId, messageId, cancellationToken);

        public ValueTask<ulong> GetResetAsync(ulong channelId, ulong userId, CancellationToken cancellationToken) =>
            _inner.GetResetAsync(channelId, userId, cancellationToken);

        public Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
            _inner.DeleteOlderThanAsync(cutoff, cancellationToken);
    }
}
