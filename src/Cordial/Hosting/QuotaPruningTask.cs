using Cordial.Bot.Housekeeping;
using Cordial.Llm.Quotas;

namespace Cordial.Hosting;

/// <summary>
/// Forgets quota identities whose buckets are all full again (nothing a fresh identity would not know); the ledger's
/// write-behind then deletes their rows. Keeps the ledger's memory proportional to recently active users.
/// </summary>
internal sealed class QuotaPruningTask(QuotaLedger ledger) : IHousekeepingTask
{
    public string Name => "quota-pruning";

    public Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        ledger.Prune(now);
        return Task.CompletedTask;
    }
}
