using System.Collections.Concurrent;
using Cordial.Bot.Summaries;

namespace Cordial.Bot.Tests.Summaries;

/// <summary>A summary store for tests of the conversation logic (the SQL store has its own tests against real databases).</summary>
internal sealed class InMemorySummaryStore : ISummaryStore
{
    private int _gets;

    public ConcurrentDictionary<ulong, ConversationSummary> Summaries { get; } = new();

    public int Gets => Volatile.Read(ref _gets);

    public ValueTask<ConversationSummary?> GetAsync(ulong tailId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _gets);
        return ValueTask.FromResult(Summaries.GetValueOrDefault(tailId));
    }

    public Task PutAsync(ConversationSummary summary, CancellationToken cancellationToken)
    {
        Summaries[summary.TailId] = summary;
        return Task.CompletedTask;
    }

    public Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var old = Summaries.Values.Where(s => s.CreatedAt < cutoff).Select(s => s.TailId).ToList();
        old.ForEach(id => Summaries.TryRemove(id, out _));
        return Task.FromResult(old.Count);
    }
}
