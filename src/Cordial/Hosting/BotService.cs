using Cordial.Discord.Gateway;
using Microsoft.Extensions.Logging;

namespace Cordial.Hosting;

/// <summary>
/// Runs <see cref="BotRuntime"/> for the host's lifetime: starts it once the server listens, and stops it gracefully
/// before the server stops (the sandbox's server carries the bot's own gateway connection, which would otherwise hold
/// the server's shutdown until its timeout).
/// </summary>
internal sealed partial class BotService(BotRuntime runtime, IHostApplicationLifetime lifetime, ILogger<BotService> logger) : IHostedLifecycleService
{
    private Task _starting = Task.CompletedTask;
    private readonly CancellationTokenSource _stopping = new();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        _starting = RunAsync(started.Task);
        return Task.CompletedTask;
    }

    private async Task RunAsync(Task serverStarted)
    {
        try
        {
            await serverStarted.WaitAsync(_stopping.Token);
            await runtime.StartAsync(_stopping.Token);
            await runtime.Gateway.Completion.WaitAsync(_stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (GatewayFatalException ex)
        {
            Log.Fatal(logger, ex.Message);
            runtime.Failure = ex;
            lifetime.StopApplication();
        }
        catch (Exception ex)
        {
            Log.StartFailed(logger, ex);
            runtime.Failure = ex;
            lifetime.StopApplication();
        }
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _starting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await runtime.StopAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => StoppingAsync(cancellationToken);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Critical, "Discord closed the connection for good: {Reason}")]
        public static partial void Fatal(ILogger logger, string reason);

        [LoggerMessage(2, LogLevel.Critical, "The bot could not start")]
        public static partial void StartFailed(ILogger logger, Exception exception);
    }
}
