using System.Collections.Concurrent;
using Cordial.Bot.Conversations;

namespace Cordial.Benchmarks.Bot;

/// <summary>A node store in memory, behind <see cref="CachedMessageNodeStore"/> in benchmarks.</summary>
internal sealed class InMemoryNodeStore : IMessageNodeStore
{
    private readonly ConcurrentDictionary<ulong, MessageNode> _nodes = new();

    public ValueTask<MessageNode?> GetAsync(ulong messageId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_nodes.GetValueOrDefault(messageId));

    public Task PutAsync(IReadOnlyList<MessageNode> nodes, CancellationToken cancellationToken)
    {
        foreach (var node in nodes)
        {
            _nodes[node.Id] = node;
        }

        return Task.CompletedTask;
    }

    public Task DeleteAsync(ulong messageId, CancellationToken cancellationToken)
    {
        _nodes.TryRemove(messageId, out _);
        return Task.CompletedTask;
    }

    public Task SetResetAsync(ulong channelId, ulong userId, ulong messageId, CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask<ulong> GetResetAsync(ulong channelId, ulong userId, CancellationToken cancellationToken) => ValueTask.FromResult(0UL);

    public Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) => Task.FromResult(0);
}
