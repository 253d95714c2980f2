using Cordial.Bot.Collections;
using Cordial.Bot.Conversations;

namespace Cordial.Bot.Tests.Conversations;

/// <summary>The node cache in front of the database: bounded by the bytes its nodes take, honest about those bytes.</summary>
public sealed class CachedMessageNodeStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MessageNode Node(ulong id, string text, NodeRole role = NodeRole.Assistant) => new()
    {
        Id = id,
        ChannelId = 10,
        AuthorId = 1,
        AuthorName = "user" + (id % 1000).ToString(System.Globalization.CultureInfo.InvariantCulture),
        Role = role,
        Text = text,
        TokenCount = TokenEstimator.Estimate(text),
        ParentId = id - 1,
        Model = role == NodeRole.Assistant ? "sim-" + id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public async Task Nodes_beyond_the_byte_bound_are_dropped_oldest_first_and_read_again_from_the_database()
    {
        var database = new ChainCountingStore();
        var store = new CachedMessageNodeStore(database, maxBytes: 100_000, chainLength: 1);
        for (var id = 1UL; id <= 300; id++)
        {
            await store.PutAsync([Node(id, new string('a', 1_000))], Ct);
        }

        var perNode = CachedMessageNodeStore.SizeOf(Node(300, new string('a', 1_000)));
        Assert.InRange(store.CachedBytes, 100_000 - perNode, 100_000);
        Assert.Equal((int)(100_000 / perNode), store.CachedNodes);

        Assert.Equal(300UL, (await store.GetAsync(300, Ct))!.Id); // the newest: in memory
        Assert.Equal(0, database.Chains);

        var first = await store.GetAsync(1, Ct); // long gone from memory: the database still has it
        Assert.Equal(1, database.Chains);
        Assert.Equal(new string('a', 1_000), first!.Text);
        Assert.Same(first, await store.GetAsync(1, Ct)); // and it is cached again
        Assert.Equal(1, database.Chains);
        Assert.InRange(store.CachedBytes, 100_000 - perNode, 100_000);
    }

    [Fact]
    public async Task A_conversation_not_in_memory_is_read_from_the_database_in_one_go()
    {
        var database = new ChainCountingStore();
        for (var id = 1UL; id <= 40; id++)
        {
            database.Nodes[id] = Node(id, $"turn {id}") with { ParentId = id == 1 ? null : id - 1 };
        }

        var store = new CachedMessageNodeStore(database, chainLength: 25);

        Assert.Equal(40UL, (await store.GetAsync(40, Ct))!.Id);
        for (var id = 39UL; id >= 16; id--)
        {
            Assert.Equal($"turn {id}", (await store.GetAsync(id, Ct))!.Text); // the walk: all from memory now
        }

        Assert.Equal((1, 0), (database.Chains, database.Gets));
        Assert.Equal(25, store.CachedNodes);

        Assert.Equal(15UL, (await store.GetAsync(15, Ct))!.Id); // beyond the first read: the next 15
        Assert.Equal((2, 0), (database.Chains, database.Gets));
        Assert.Equal(40, store.CachedNodes);
        Assert.Null(await store.GetAsync(99, Ct));
    }

    [Fact]
    public async Task A_message_edited_while_its_conversation_is_read_keeps_its_new_text()
    {
        var database = new ChainCountingStore { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        for (var id = 1UL; id <= 3; id++)
        {
            database.Nodes[id] = Node(id, "old") with { ParentId = id == 1 ? null : id - 1 };
        }

        var store = new CachedMessageNodeStore(database);
        var reading = store.GetAsync(3, Ct).AsTask(); // a miss: the chain read has taken the old nodes and waits
        await store.PutAsync([Node(2, "edited") with { ParentId = 1 }], Ct);
        database.Gate.SetResult();

        Assert.Equal("old", (await reading)!.Text);
        Assert.Equal("edited", (await store.GetAsync(2, Ct))!.Text);
        Assert.Equal(1, database.Chains);
    }

    [Fact]
    public void A_node_weighs_its_text_in_utf16_and_its_lists_and_nothing_for_lists_it_does_not_have()
    {
        var plain = Node(1, new string('a', 100));
        var longer = plain with { Text = new string('a', 600) };
        var withImage = plain with { ImageUrls = ["https://cdn.example/a.png"], Warnings = ["The attachment a.bin was not read."] };

        Assert.Equal(1_000, CachedMessageNodeStore.SizeOf(longer) - CachedMessageNodeStore.SizeOf(plain));
        Assert.InRange(CachedMessageNodeStore.SizeOf(withImage) - CachedMessageNodeStore.SizeOf(plain), 200, 400);
        Assert.InRange(CachedMessageNodeStore.SizeOf(plain), 232 + 200, 232 + 300);
    }

    [Fact]
    public void The_weight_of_cached_nodes_is_within_a_fifth_of_the_memory_they_take()
    {
        // What the cache counts must be what the process spends, or its bound means nothing: the bytes this thread
        // allocates to make 20,000 nodes (answers of a few hundred characters, as a busy bot keeps) and keep them in
        // the cache's map, weighed as the store weighs them.
        const int count = 20_000;
        var cache = new LruCache<ulong, MessageNode>(1L << 30, CachedMessageNodeStore.SizeOf);
        var texts = new string[count];
        for (var i = 0; i < count; i++)
        {
            texts[i] = "the quick river carries " + new string('x', 200 + (i % 300)); // not measured: copied below
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < count; i++)
        {
            var node = Node((ulong)i + 1, string.Concat(texts[i].AsSpan(0, texts[i].Length - 1), "."), i % 2 == 0 ? NodeRole.User : NodeRole.Assistant);
            cache.Set(node.Id, node);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(count, cache.Count);
        Assert.InRange(cache.Weight, allocated * 0.8, allocated * 1.2);
    }

    /// <summary>Counts chain reads apart from single reads.</summary>
    private sealed class ChainCountingStore : IMessageNodeStore
    {
        private readonly InMemoryMessageNodeStore _inner = new();

        public System.Collections.Concurrent.ConcurrentDictionary<ulong, MessageNode> Nodes => _inner.Nodes;

        public int Chains { get; private set; }

        public int Gets => _inner.Gets;

        public ValueTask<MessageNode?> GetAsync(ulong messageId, CancellationToken cancellationToken) => _inner.GetAsync(messageId, cancellationToken);

        /// <summary>When set, a chain read takes its nodes at once and returns them only when this completes.</summary>
        public TaskCompletionSource? Gate { get; set; }

        public async ValueTask<IReadOnlyList<MessageNode>> GetChainAsync(ulong messageId, int maxNodes, CancellationToken cancellationToken)
        {
            Chains++;
            var chain = new List<MessageNode>();
            for (ulong? next = messageId; next is { } id && chain.Count < maxNodes && Nodes.TryGetValue(id, out var node); next = node.ParentId)
            {
                chain.Add(node);
            }

            if (Gate is { } gate)
            {
                await gate.Task;
            }

            return chain;
        }

        public Task PutAsync(IReadOnlyList<MessageNode> nodes, CancellationToken cancellationToken) => _inner.PutAsync(nodes, cancellationToken);

        public Task DeleteAsync(ulong messageId, CancellationToken cancellationToken) => _inner.DeleteAsync(messageId, cancellationToken);

        public Task SetResetAsync(ulong channelId, ulong userId, ulong messageId, CancellationToken cancellationToken) => _inner.SetResetAsync(channelId, userId, messageId, cancellationToken);

        public ValueTask<ulong> GetResetAsync(ulong channelId, ulong userId, CancellationToken cancellationToken) => _inner.GetResetAsync(channelId, userId, cancellationToken);

        public Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) => _inner.DeleteOlderThanAsync(cutoff, cancellationToken);
    }
}
