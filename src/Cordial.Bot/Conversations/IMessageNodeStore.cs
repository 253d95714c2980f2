namespace Cordial.Bot.Conversations;

/// <summary>
/// Persisted message nodes: what lets conversations survive restarts without REST calls.
/// Implementations live in Cordial.Storage (SQLite by default, PostgreSQL for scale-out).
/// </summary>
/// <remarks>
/// Implementations are thread-safe. <see cref="GetAsync"/> is on the hot path and is fronted by
/// <see cref="CachedMessageNodeStore"/>; implementations need no cache of their own.
/// </remarks>
public interface IMessageNodeStore
{
    /// <summary>Returns the node, or null when the store has never seen that message.</summary>
    ValueTask<MessageNode?> GetAsync(ulong messageId, CancellationToken cancellationToken);

    /// <summary>
    /// Returns the node and its stored ancestors, newest first, at most <paramref name="maxNodes"/>: the chain ends at
    /// the first parent the store lacks, and is empty when it lacks the node itself. A database reads the chain in one
    /// round trip; this default reads node by node.
    /// </summary>
    async ValueTask<IReadOnlyList<MessageNode>> GetChainAsync(ulong messageId, int maxNodes, CancellationToken cancellationToken)
    {
        var chain = new List<MessageNode>();
        for (ulong? next = messageId; next is { } id && chain.Count < maxNodes;)
        {
            if (await GetAsync(id, cancellationToken) is not { } node)
            {
                break;
            }

            chain.Add(node);
            next = node.ParentId;
        }

        return chain;
    }

    /// <summary>Inserts or replaces nodes (an edited message replaces its node).</summary>
    Task PutAsync(IReadOnlyList<MessageNode> nodes, CancellationToken cancellationToken);

    /// <summary>Removes a node (the message was deleted). Children keep their parent id; the chain simply ends there.</summary>
    Task DeleteAsync(ulong messageId, CancellationToken cancellationToken);

    /// <summary>
    /// Records that <paramref name="userId"/> reset their conversation in <paramref name="channelId"/> at
    /// <paramref name="messageId"/>: automatic continuation (DMs, back-to-back messages) never reaches before it.
    /// </summary>
    Task SetResetAsync(ulong channelId, ulong userId, ulong messageId, CancellationToken cancellationToken);

    /// <summary>The latest reset point for a user in a channel, or 0.</summary>
    ValueTask<ulong> GetResetAsync(ulong channelId, ulong userId, CancellationToken cancellationToken);

    /// <summary>Deletes nodes created before <paramref name="cutoff"/>; returns how many were removed.</summary>
    Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
