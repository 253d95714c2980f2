using Cordial.Bot.Collections;

namespace Cordial.Bot.Conversations;

/// <summary>
/// Fronts an <see cref="IMessageNodeStore"/> with a bounded in-memory cache of nodes and reset points, so walking a
/// conversation costs no I/O once its messages have been seen.
/// </summary>
public sealed class CachedMessageNodeStore : IMessageNodeStore
{
    private readonly IMessageNodeStore _inner;
    private readonly LruCache<ulong, MessageNode> _nodes;
    private readonly LruCache<(ulong Channel, ulong User), ulong> _resets;

    public CachedMessageNodeStore(IMessageNodeStore inner, int capacity = 50_000)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _nodes = new LruCache<ulong, MessageNode>(capacity);
        _resets = new LruCache<(ulong, ulong), ulong>(Math.Max(1, capacity / 10));
    }

    /// <summary>Nodes currently cached.</summary>
    public int CachedNodes => _nodes.Count;

    public ValueTask<MessageNode?> GetAsync(ulong messageId, CancellationToken cancellationToken)
    {
        return _nodes.TryGet(messageId, out var node)
            ? ValueTask.FromResult<MessageNode?>(node)
            : LoadAsync(messageId, cancellationToken);
    }

    private async ValueTask<MessageNode?> LoadAsync(ulong messageId, CancellationToken cancellationToken)
    {
        var node = await _inner.GetAsync(messageId, cancellationToken);
        if (node is not null)
        {
            _nodes.Set(messageId, node);
        }

        return node;
    }

    public async Task PutAsync(IReadOnlyList<MessageNode> nodes, CancellationToken cancellationToken)
    {
        await _inner.PutAsync(nodes, cancellationToken);
        foreach (var node in nodes)
        {
            _nodes.Set(node.Id, node);
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
