using System.Collections.Concurrent;
using Cordial.Bot.Conversations;

namespace Cordial.Bot.Tests.Conversations;

/// <summary>A store for tests of the conversation logic (the SQL stores have their own tests against real databases).</summary>
internal sealed class InMemoryMessageNodeStore : IMessageNodeStore
{
    public ConcurrentDictionary<ulong, MessageNode> Nodes { get; } = new();
    public ConcurrentDictionary<(ulong, ulong), ulong> Resets { get; } = new();
    public int Gets;

    public ValueTask<MessageNode?> GetAsync(ulong messageId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Gets);
        return ValueTask.FromResult(Nodes.GetValueOrDefault(messageId));
    }

    public Task PutAsync(IReadOnlyList<MessageNode> nodes, CancellationToken cancellationToken)
    {
        foreach (var node in nodes)
        {
            Nodes[node.Id] = node;
        }

        return Task.CompletedTask;
    }

    public Task DeleteAsync(ulong messageId, CancellationToken cancellationToken)
    {
        Nodes.TryRemove(messageId, out _);
        return Task.CompletedTask;
    }

    public Task SetResetAsync(ulong channelId, ulong userId, ulong messageId, CancellationToken cancellationToken)
    {
        Resets[(channelId, userId)] = messageId;
        return Task.CompletedTask;
    }

    public ValueTask<ulong> GetResetAsync(ulong channelId, ulong userId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Resets.GetValueOrDefault((channelId, userId)));

    public Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var old = Nodes.Values.Where(n => n.CreatedAt < cutoff).Select(n => n.Id).ToList();
        old.ForEach(id => Nodes.TryRemove(id, out _));
        return Task.FromResult(old.Count);
    }
}
