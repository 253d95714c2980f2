using Cordial.Bot.Responding;
using Cordial.Configuration;
using Cordial.Discord.Gateway;
using Cordial.Storage.Sql;
using Microsoft.Extensions.Logging;

namespace Cordial.Hosting;

/// <summary>
/// The running bot: prepares the stores, connects the gateway, pumps its events, applies configuration reloads, and on
/// stop closes the gateway, handles what was queued and drains the answers in progress.
/// </summary>
/// <remarks>Started by <see cref="BotService"/> once the HTTP server listens (the sandbox's bot connects to it).</remarks>
internal sealed partial class BotRuntime(
    IServiceProvider services,
    GatewayClient gateway,
    GatewayEventDispatcher dispatcher,
    SqlMessageNodeStore nodes,
    SqlChannelSettingsStore channelSettings,
    SqlUsageStore usage,
    SqlSummaryStore summaries,
    ReplyCoordinator coordinator,
    SettingsReloader reloader,
    DiscordOptions options,
    TimeProvider time,
    ILogger<BotRuntime> logger) : IAsyncDisposable
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _stopGate = new();
    private GatewayEventPump? _pump;
    private Task? _stop;
    private int _state; // 0 new, 1 started, 2 stopped

    /// <summary>Completes when the bot is connected (first READY handled, commands registration attempted); faults when start failed.</summary>
    public Task Ready => WaitReadyAsync();

    /// <summary>Why the bot stopped on its own (start failure, fatal gateway close), if it did.</summary>
    public Exception? Failure { get; set; }

    /// <summary>The gateway (for /health).</summary>
    public GatewayClient Gateway => gateway;

    /// <summary>The pump (for /health and tests), once started.</summary>
    public GatewayEventPump? Pump => _pump;

    private async Task WaitReadyAsync()
    {
        await _started.Task;
        await dispatcher.Ready;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            return;
        }

        try
        {
            await nodes.InitializeAsync(cancellationToken);
            await channelSettings.InitializeAsync(cancellationToken);
            await usage.InitializeAsync(cancellationToken);
            await summaries.InitializeAsync(cancellationToken);
            reloader.Start();
            _pump = new GatewayEventPump(gateway.Events, dispatcher, options, time, services.GetRequiredService<ILogger<GatewayEventPump>>());
            _pump.Start();
            await gateway.StartAsync(cancellationToken);
            Log.Started(logger, gateway.ShardCount);
            _started.TrySetResult();
        }
        catch (Exception ex)
        {
            _started.TrySetException(ex);
            throw;
        }
    }

    /// <summary>Graceful stop: gateway closed, queued events handled, answers in progress drained. Every caller
    /// awaits the same stop.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_stopGate)
        {
            if (_stop is null)
            {
                var wasStarted = Interlocked.Exchange(ref _state, 2) == 1;
                _stop = wasStarted ? StopCoreAsync(cancellationToken) : Task.CompletedTask;
            }

            return _stop;
        }
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        Log.Stopping(logger);
        try
        {
            await gateway.StopAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is OperationCanceledException or GatewayFatalException)
        {
        }

        if (_pump is { } pump)
        {
            await pump.StopAsync(TimeSpan.FromSeconds(10));
        }

        await coordinator.DisposeAsync();
        reloader.Dispose();
        Log.Stopped(logger);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        if (_pump is { } pump)
        {
            await pump.DisposeAsync();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Bot started with {Shards} shard(s)")]
        public static partial void Started(ILogger logger, int shards);

        [LoggerMessage(2, LogLevel.Information, "Bot stopping: closing the gateway and finishing the answers in progress")]
        public static partial void Stopping(ILogger logger);

        [LoggerMessage(3, LogLevel.Information, "Bot stopped")]
        public static partial void Stopped(ILogger logger);
    }
}
