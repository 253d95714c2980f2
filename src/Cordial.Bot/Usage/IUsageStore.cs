namespace Cordial.Bot.Usage;

/// <summary>Counts of answered requests and tokens per user and day. Thread-safe.</summary>
public interface IUsageStore
{
    Task RecordAsync(ulong userId, DateOnly day, long inputTokens, long outputTokens, CancellationToken cancellationToken);

    Task<UsageSummary> GetAsync(ulong userId, DateOnly today, CancellationToken cancellationToken);
}
