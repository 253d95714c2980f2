using System.Collections.Concurrent;

namespace Cordial.Bot.Usage;

/// <summary>Usage kept in memory (tests, and the sandbox before storage is configured). Bounded by users × days seen.</summary>
public sealed class InMemoryUsageStore : IUsageStore
{
    private readonly ConcurrentDictionary<(ulong User, DateOnly Day), (long Requests, long Input, long Output)> _counts = new();

    public Task RecordAsync(ulong userId, DateOnly day, long inputTokens, long outputTokens, CancellationToken cancellationToken)
    {
        _counts.AddOrUpdate(
            (userId, day),
            (1, inputTokens, outputTokens),
            (_, c) => (c.Requests + 1, c.Input + inputTokens, c.Output + outputTokens));
        return Task.CompletedTask;
    }

    public Task<UsageSummary> GetAsync(ulong userId, DateOnly today, CancellationToken cancellationToken)
    {
        long requests = 0, input = 0, output = 0, requestsToday = 0;
        foreach (var ((user, day), c) in _counts)
        {
            if (user != userId)
            {
                continue;
            }

            requests += c.Requests;
            input += c.Input;
            output += c.Output;
            requestsToday += day == today ? c.Requests : 0;
        }

        return Task.FromResult(new UsageSummary(requestsToday, requests, input, output));
    }
}
