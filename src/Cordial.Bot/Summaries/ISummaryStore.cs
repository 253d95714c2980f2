namespace Cordial.Bot.Summaries;

/// <summary>
/// Persisted conversation summaries, keyed by the newest message each covers. Implementations live in Cordial.Storage
/// (SQLite, PostgreSQL).
/// </summary>
/// <remarks>Implementations are thread-safe. <see cref="GetAsync"/> is fronted by <see cref="CachedSummaryStore"/>.</remarks>
public interface ISummaryStore
{
    /// <summary>The summary that ends at <paramref name="tailId"/>, or null.</summary>
    ValueTask<ConversationSummary?> GetAsync(ulong tailId, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces the summary for its <see cref="ConversationSummary.TailId"/>.</summary>
    Task PutAsync(ConversationSummary summary, CancellationToken cancellationToken);

    /// <summary>Deletes summaries made before <paramref name="cutoff"/>; returns how many were removed.</summary>
    Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
