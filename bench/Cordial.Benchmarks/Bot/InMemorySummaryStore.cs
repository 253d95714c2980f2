using System.Collections.Concurrent;
using Cordial.Bot.Summaries;

namespace Cordial.Benchmarks.Bot;

/// <summary>A summary store in memory, behind <see cref="CachedSummaryStore"/> in benchmarks.</summary>
internal sealed class InMemorySummaryStore : ISummaryStore
{
    private readonly ConcurrentDictionary<ulong, ConversationSummary> _summaries = new();

    public ValueTask<ConversationSummary?> GetAsync(ulong tailId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_summaries.GetValueOrDefault(tailId));

    public Task PutAsync(ConversationSummary summary, CancellationToken cancellationToken)
    {
        _summaries[summary.TailId] = summary;
        return Task.CompletedTask;
    }

    public Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) => Task.FromResult(0);
}
