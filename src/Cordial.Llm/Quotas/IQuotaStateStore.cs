namespace Cordial.Llm.Quotas;

/// <summary>
/// Where <see cref="QuotaLedger"/> keeps its state across restarts. The ledger writes behind: at most once a second,
/// only the entries changed since the last write, each batch in one transaction.
/// </summary>
/// <remarks>Implementations are thread-safe; the ledger never runs two calls at once.</remarks>
public interface IQuotaStateStore
{
    /// <summary>Every stored entry still in use at <paramref name="now"/> (<see cref="QuotaStateEntry.IdleAt"/> after it).</summary>
    Task<IReadOnlyList<QuotaStateEntry>> LoadAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically (all or nothing) inserts or replaces <paramref name="changed"/> and, when
    /// <paramref name="pruneBefore"/> is given, deletes the entries idle at that instant
    /// (<see cref="QuotaStateEntry.IdleAt"/> at or before it).
    /// </summary>
    Task SaveAsync(IReadOnlyList<QuotaStateEntry> changed, DateTimeOffset? pruneBefore, CancellationToken cancellationToken);
}
