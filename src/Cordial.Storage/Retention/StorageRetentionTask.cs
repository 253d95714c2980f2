using Cordial.Bot.Housekeeping;
using Cordial.Storage.Sql;
using Microsoft.Extensions.Logging;

namespace Cordial.Storage.Retention;

/// <summary>
/// Storage:RetentionDays applied on each housekeeping tick: message nodes, /reset points and conversation summaries
/// older than the retention, and daily usage rows of days before it, are deleted (in SQLite or PostgreSQL alike). 0 days keeps everything.
/// </summary>
/// <remarks>Thread-safe; each delete is one statement, so the bot keeps working while it runs.</remarks>
public sealed partial class StorageRetentionTask(
    SqlMessageNodeStore nodes,
    SqlUsageStore usage,
    SqlSummaryStore summaries,
    StorageOptions options,
    ILogger<StorageRetentionTask> logger) : IHousekeepingTask
{
    public string Name => "storage-retention";

    public async Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (options.RetentionDays <= 0)
        {
            return;
        }

        var cutoff = now - TimeSpan.FromDays(options.RetentionDays);
        var (deletedNodes, deletedResets) = await nodes.DeleteExpiredAsync(cutoff, cancellationToken);
        var deletedUsage = await usage.DeleteBeforeAsync(DateOnly.FromDateTime(cutoff.UtcDateTime), cancellationToken);
        var deletedSummaries = await summaries.DeleteOlderThanAsync(cutoff, cancellationToken);
        if (deletedNodes + deletedResets + deletedUsage + deletedSummaries > 0)
        {
            Log.Deleted(logger, deletedNodes, deletedResets, deletedUsage, deletedSummaries, options.RetentionDays);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Retention ({Days} days): deleted {Nodes} message nodes, {Resets} reset points, {Usage} usage rows and {Summaries} summaries")]
        public static partial void Deleted(ILogger logger, int nodes, int resets, int usage, int summaries, int days);
    }
}
