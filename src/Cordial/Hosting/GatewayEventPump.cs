using System.Threading.Channels;
using Cordial.Configuration;
using Cordial.Discord.Gateway;
using Microsoft.Extensions.Logging;

namespace Cordial.Hosting;

/// <summary>
/// Moves gateway events to handlers: cache events are applied in place, the rest are handled with the events of one
/// channel in order and different channels side by side. A handler of an idle channel starts on the read loop (no trip
/// through the thread pool's queue: under load that trip was most of a message's time before its model request) and
/// leaves it at its first wait, so a slow handler (a REST call waiting for its rate limit) holds up its own channel
/// only — never another channel, and never an interaction that must be acknowledged within Discord's 3 seconds
/// (interactions are keyed by their own id). Handlers must therefore never block a thread.
/// At most <c>Discord:EventHandlers</c> handlers run at once (and as many more for interactions, which have their own
/// so that busy message handlers never delay an acknowledgement); at most <c>Discord:EventQueueCapacity</c> events wait,
/// and then the reader waits (backpressure, nothing dropped). Each event is handled with its own timeout, try/catch
/// and log line.
/// </summary>
internal sealed partial class GatewayEventPump : IAsyncDisposable
{
    private readonly ChannelReader<GatewayEvent> _source;
    private readonly GatewayEventDispatcher _dispatcher;
    private readonly TimeSpan _eventTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly KeyedSerialScheduler<GatewayEvent> _scheduler;

    // Interactions have their own handlers: slow message handlers (a REST read waiting for Discord's global limit)
    // must never hold one back past Discord's 3-second acknowledgement deadline.
    private readonly KeyedSerialScheduler<GatewayEvent> _interactions;
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;
    private long _handled;
    private long _failed;

    public GatewayEventPump(ChannelReader<GatewayEvent> source, GatewayEventDispatcher dispatcher, DiscordOptions options, TimeProvider time, ILogger<GatewayEventPump> logger)
    {
        _source = source;
        _dispatcher = dispatcher;
        _eventTimeout = options.EventTimeout;
        _time = time;
        _logger = logger;
        _scheduler = new KeyedSerialScheduler<GatewayEvent>(options.EventHandlers, options.EventQueueCapacity, HandleAsync);
        _interactions = new KeyedSerialScheduler<GatewayEvent>(options.EventHandlers, options.EventQueueCapacity, HandleAsync);
    }

    /// <summary>Events handled (successfully or not) so far.</summary>
    public long Handled => Interlocked.Read(ref _handled);

    /// <summary>Events whose handler threw or timed out.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    public void Start() => _running = Task.WhenAll(Task.Run(ReadAsync), _scheduler.Completion, _interactions.Completion);

    private async Task ReadAsync()
    {
        try
        {
            await foreach (var gatewayEvent in _source.ReadAllAsync(_stopping.Token))
            {
                try
                {
                    _dispatcher.ApplyToCache(gatewayEvent);
                }
                catch (Exception ex)
                {
                    Log.EventFailed(_logger, ex, gatewayEvent.GetType().Name);
                }

                if (GatewayEventDispatcher.NeedsWorker(gatewayEvent))
                {
                    var scheduler = gatewayEvent is InteractionCreateEvent ? _interactions : _scheduler;
                    await scheduler.EnqueueAsync(GatewayEventDispatcher.PartitionKey(gatewayEvent), gatewayEvent, _stopping.Token);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (GatewayFatalException ex)
        {
            Log.GatewayFatal(_logger, ex.Message);
        }
        finally
        {
            _scheduler.Complete();
            _interactions.Complete();
        }
    }

    private async Task HandleAsync(GatewayEvent gatewayEvent)
    {
        using var timeout = new CancellationTokenSource(_eventTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stopping.Token);
        try
        {
            await _dispatcher.HandleAsync(gatewayEvent, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Interlocked.Increment(ref _failed);
            Log.EventTimedOut(_logger, gatewayEvent.GetType().Name, _eventTimeout);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Interlocked.Increment(ref _failed);
            Log.EventFailed(_logger, ex, gatewayEvent.GetType().Name);
        }
        finally
        {
            Interlocked.Increment(ref _handled);
        }
    }

    /// <summary>
    /// Call after the gateway stopped (its event channel completed): lets the queued events be handled (each within
    /// its timeout, all within <paramref name="drain"/>), then returns.
    /// </summary>
    public async Task StopAsync(TimeSpan drain)
    {
        try
        {
            await _running.WaitAsync(drain, _time);
        }
        catch (TimeoutException)
        {
            await _stopping.CancelAsync();
            await _running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        finally
        {
            await _stopping.CancelAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
        _scheduler.Dispose();
        _interactions.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Handling a {EventType} event failed")]
        public static partial void EventFailed(ILogger logger, Exception exception, string eventType);

        [LoggerMessage(2, LogLevel.Warning, "Handling a {EventType} event took longer than {Timeout} and was cancelled")]
        public static partial void EventTimedOut(ILogger logger, string eventType, TimeSpan timeout);

        [LoggerMessage(3, LogLevel.Critical, "The gateway stopped for good: {Reason}")]
        public static partial void GatewayFatal(ILogger logger, string reason);
    }
}
