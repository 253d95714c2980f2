namespace Cordial.Bot.Housekeeping;

/// <summary>
/// A periodic clean-up (old rows, idle map entries). Every registered task runs on the bot's one housekeeping timer
/// (Housekeeping:Interval), one after another; a task that throws is logged and the others still run.
/// </summary>
/// <remarks>
/// Implementations are singletons and must be safe to run while the bot works (the tick does not pause anything).
/// A run should finish well within the interval; it is never started twice at once.
/// </remarks>
public interface IHousekeepingTask
{
    /// <summary>A short stable name for logs ("storage-retention").</summary>
    string Name { get; }

    /// <summary>Runs one clean-up.</summary>
    /// <param name="now">The tick's time (from the injected TimeProvider): compute cut-offs from it, not from a clock.</param>
    /// <param name="cancellationToken">Cancelled when the bot stops.</param>
    Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
