using Cordial.Bot.Housekeeping;
using Microsoft.Extensions.Logging;

namespace Cordial.Hosting;

/// <summary>
/// The bot's one housekeeping timer: every Housekeeping:Interval (default 10 minutes) it runs each registered
/// <see cref="IHousekeepingTask"/> in turn. A task that fails is logged and the others still run; the next tick
/// tries it again. One timer for the whole process, not one per cache or map.
/// </summary>
/// <remarks>The first run is one interval after start. Ticks never overlap: a slow run delays the next one.</remarks>
internal sealed partial class HousekeepingService(
    IEnumerable<IHousekeepingTask> tasks,
    HousekeepingOptions options,
    TimeProvider timeProvider,
    ILogger<HousekeepingService> logger) : BackgroundService
{
    private readonly IHousekeepingTask[] _tasks = [.. tasks];
    private long _runs;

    /// <summary>Completed ticks (every task attempted), for tests and diagnostics.</summary>
    public long Runs => Interlocked.Read(ref _runs);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Interval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Runs every task once, in registration order; returns how many failed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var failed = 0;
        foreach (var task in _tasks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await task.RunAsync(now, cancellationToken);
                Log.TaskRan(logger, task.Name);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                failed++;
                Log.TaskFailed(logger, task.Name, ex);
            }
        }

        Interlocked.Increment(ref _runs);
        return failed;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Housekeeping task {Task} ran")]
        public static partial void TaskRan(ILogger logger, string task);

        [LoggerMessage(2, LogLevel.Warning, "Housekeeping task {Task} failed; the other tasks still run and it is tried again next time")]
        public static partial void TaskFailed(ILogger logger, string task, Exception exception);
    }
}
