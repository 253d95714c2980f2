using Cordial.Bot.Collections;

namespace Cordial.Bot.Conversations;

/// <summary>
/// Fronts an <see cref="IMessageNodeStore"/> with a bounded in-memory cache of nodes and reset points, so walking a
/// conversation costs no I/O once its messages have been seen.
/// </summary>
/// <remarks>
/// Nodes are bounded by their bytes (<see cref="SizeOf"/>), not their number: an answer of a few hundred characters
/// weighs about 900 bytes, a long one with a text attachment hundreds of kilobytes, and the bound is what the process
/// may spend on them.
/// </remarks>
public sealed class CachedMessageNodeStore : IMessageNodeStore
{
    /// <summary>Reset points kept (about 100 bytes each).</summary>
    public const int ResetCapacity = 4_096;

    /// <summary>
    /// Bytes a cached node costs besides its strings and lists: the node (136 bytes) and its cache entry
    /// (<see cref="MemorySize.LruEntry"/>), as measured in a heap dump of the bot.
    /// </summary>
    internal const int NodeOverhead = 136 + MemorySize.LruEntry;

    private readonly IMessageNodeStore _inner;
    private readonly int _chainLength;
    private readonly LruCache<ulong, MessageNode> _nodes;
    private readonly LruCache<(ulong Channel, ulong User), ulong> _resets = new(ResetCapacity);

    /// <param name="inner">The store behind the cache.</param>
    /// <param name="maxBytes">The bytes cached nodes may take (<see cref="SizeOf"/>).</param>
    /// <param name="chainLength">
    /// Nodes read at once when a node is not in memory: it and its ancestors, which a conversation walk asks for next
    /// (<see cref="ConversationOptions.MaxMessages"/>).
    /// </param>
    public CachedMessageNodeStore(IMessageNodeStore inner, long maxBytes = 4L * 1024 * 1024, int chainLength = 25)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(chainLength, 1);
        _inner = inner;
        _chainLength = chainLength;
        _nodes = new LruCache<ulong, MessageNode>(maxBytes, SizeOf);
    }

    /// <summary>Nodes currently cached.</summary>
    public int CachedNodes => _nodes.Count;

    /// <summary>Bytes the cached nodes take (<see cref="SizeOf"/>).</summary>
    public long CachedBytes => _nodes.Weight;

    /// <summary>The memory a cached node takes on a 64-bit runtime: its strings, lists and <see cref="NodeOverhead"/>.</summary>
    public static long SizeOf(MessageNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return NodeOverhead + MemorySize.Of(node.Text) + MemorySize.Of(node.AuthorName) + MemorySize.Of(node.Model)
               + MemorySize.Of(node.ImageUrls) + MemorySize.Of(node.Warnings);
    }

    public ValueTask<MessageNode?> GetAsync(ulong messageId, CancellationToken cancellationToken)
    {
        return _nodes.TryGet(messageId, out var node)
            ? ValueTask.FromResult<MessageNode?>(node)
            : LoadAsync(messageId, cancellationToken);
    }

    private async ValueTask<MessageNode?> LoadAsync(ulong messageId, CancellationToken cancellationToken)
    {
        // A node not in memory is most often the start of a conversation not walked for a while, and the walk asks for
        // its parent next, and the parent's parent: one read brings them all (one round trip instead of one per node).
        // Added only where absent: a node put (edited) while the read was under way is newer than what it returned.
        var chain = await _inner.GetChainAsync(messageId, _chainLength, cancellationToken);
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            _nodes.TryAdd(chain[i].Id, chain[i]); // the oldest first, so the node asked for is the most recently used
        }

        return chain.Count > 0 ? chain[0] : null;
    }

    public async Task PutAsync(IReadOnlyList<MessageNode> nodes, CancellationToken cancellationToken)
    {
        await _inner.PutAsync(nodes, cancellationToken);
        for (var i = 0; i < nodes.Count; i++) // no enumerator: this runs for every message
        {
            _nodes.Set(nodes[i].Id, nodes[i]);
        }
    }

    public async Task DeleteAsync(ulong messageId, CancellationToken cancellationToken)
    {
        _nodes.Remove(messageId);
        await _inner.DeleteAsync(messageId, cancellationToken);
    }

    public async Task SetResetAsync(ulong channelId, ulong userId, ulong messageId, CancellationToken cancellationToken)
    {
        await _inner.SetResetAsync(channelId, userId, messageId, cancellationToken);
        _resets.Set((channelId, userId), messageId);
    }

    public ValueTask<ulong> GetResetAsync(ulong channelId, ulong userId, CancellationToken cancellationToken)
    {
        return _resets.TryGet((channelId, userId), out var reset)
            ? ValueTask.FromResult(reset)
            : LoadResetAsync(channelId, userId, cancellationToken);
    }

    private async ValueTask<ulong> LoadResetAsync(ulong channelId, ulong userId, CancellationToken cancellationToken)
    {
        var reset = await _inner.GetResetAsync(channelId, userId, cancellationToken);
        _resets.Set((channelId, userId), reset);
        return reset;
    }

    public Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        _inner.DeleteOlderThanAsync(cutoff, cancellationToken);
}
