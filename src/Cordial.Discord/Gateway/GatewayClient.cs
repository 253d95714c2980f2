using System.Threading.Channels;
using Cordial.Discord.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cordial.Discord.Gateway;

/// <summary>
/// The Discord Gateway v10 client: runs shards <see cref="GatewayClientOptions.FirstShardId"/>..
/// <see cref="GatewayClientOptions.LastShardId"/> in this process and hands their dispatches to <see cref="Events"/>.
/// </summary>
/// <remarks>
/// <para>Backpressure: <see cref="Events"/> is bounded (<see cref="GatewayClientOptions.EventQueueCapacity"/>). When it
/// is full, each shard's read loop waits for the consumer (nothing is dropped). Heartbeats keep being sent meanwhile,
/// but ACKs are not read; if the consumer stalls for longer than a heartbeat interval the connection counts as a zombie
/// and is resumed, which replays everything not yet handed over. Consumers should therefore hand events off quickly.</para>
/// <para>A dispatch's sequence number is recorded only after its event is in the channel, so resumes deliver every
/// dispatch exactly once, in order, per shard.</para>
/// <para>Thread-safe. The client owns its connections; dispose it (or call <see cref="StopAsync"/>) to close them.</para>
/// </remarks>
public sealed class GatewayClient : IAsyncDisposable
{
    private readonly GatewayClientOptions _options;
    private readonly string _token;
    private readonly Func<CancellationToken, Task<JsonGatewayBot>>? _getGatewayBot;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Func<double> _random;
    private readonly IReconnectStrategy _reconnectStrategy;
    private readonly Channel<GatewayEvent> _events;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private GatewayShard[] _shards = [];
    private Task? _running;
    private bool _started;
    private GatewayFatalException? _fatal;

    /// <param name="options">Validated here (throws <see cref="ArgumentException"/> naming the setting) and copied.</param>
    /// <param name="getGatewayBot">GET /gateway/bot (shard count, URL, max_concurrency); null: configured values only.</param>
    /// <param name="loggerFactory">Logging; null: none.</param>
    /// <param name="timeProvider">Clock for heartbeats, limits and delays; null: <see cref="TimeProvider.System"/>.</param>
    /// <param name="random">Numbers in [0, 1) for jitter; null: <see cref="Random.Shared"/>.</param>
    /// <param name="reconnectStrategy">Reconnect delays; null: <see cref="ExponentialBackoffReconnectStrategy"/>.</param>
    public GatewayClient(
        GatewayClientOptions options,
        Func<CancellationToken, Task<JsonGatewayBot>>? getGatewayBot = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        Func<double>? random = null,
        IReconnectStrategy? reconnectStrategy = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = new GatewayClientOptions
        {
            Token = options.Token,
            Intents = options.Intents,
            GatewayUrl = options.GatewayUrl,
            Compression = options.Compression,
            ShardCount = options.ShardCount,
            FirstShardId = options.FirstShardId,
            LastShardId = options.LastShardId,
            LargeThreshold = options.LargeThreshold,
            IdentifyProperties = new GatewayIdentifyProperties { Os = options.IdentifyProperties.Os, Browser = options.IdentifyProperties.Browser, Device = options.IdentifyProperties.Device },
            EventQueueCapacity = options.EventQueueCapacity,
            MaxPayloadBytes = options.MaxPayloadBytes,
        };
        _token = GatewayClientOptions.NormalizedToken(options.Token);
        _getGatewayBot = getGatewayBot;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<GatewayClient>();
        _time = timeProvider ?? TimeProvider.System;
        _random = random ?? Random.Shared.NextDouble;
        _reconnectStrategy = reconnectStrategy ?? new ExponentialBackoffReconnectStrategy(_random);
        _events = Channel.CreateBounded<GatewayEvent>(new BoundedChannelOptions(_options.EventQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = false,

            // A waiting reader takes the event on the shard's receive loop instead of through the thread pool's queue,
            // which under load was most of the time between a frame's arrival and its handling (see Events).
            AllowSynchronousContinuations = true,
        });
    }

    /// <summary>Dispatches from every shard, in order per shard. Completes when the client stops; completes with a
    /// <see cref="GatewayFatalException"/> when Discord closed a shard with a fatal code.</summary>
    /// <remarks>
    /// A reader waiting for an event continues on the receiving shard's loop: the reading loop must only hand each
    /// event on (queue it, update a cache) and leave longer work to other tasks, or it delays the shard's next frame.
    /// </remarks>
    public ChannelReader<GatewayEvent> Events => _events.Reader;

    /// <summary>Minimum time between two IDENTIFY of one max_concurrency bucket: Discord's 5 s (tests shorten it).</summary>
    internal TimeSpan IdentifyInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Total shard count in use (known after <see cref="StartAsync"/>).</summary>
    public int ShardCount { get; private set; }

    /// <summary>Ends when every shard has stopped; faults with <see cref="GatewayFatalException"/> after a fatal close.</summary>
    public Task Completion => _running ?? Task.CompletedTask;

    /// <summary>The fatal error that stopped the client, if any.</summary>
    public GatewayFatalException? FatalError => _fatal;

    /// <summary>
    /// Resolves the shard count and URL (configuration, else GET /gateway/bot), then starts the shards and returns:
    /// it does not wait for READY. Call once.
    /// </summary>
    /// <exception cref="InvalidOperationException">Already started, or the shard range does not fit the shard count.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_started)
            {
                throw new InvalidOperationException("The gateway client is already started.");
            }

            _started = true;
        }

        try
        {
            await StartShardsAsync(cancellationToken);
        }
        catch
        {
            // Nothing was started: release the claim so the caller may retry.
            lock (_gate)
            {
                _started = false;
            }

            throw;
        }
    }

    private async Task StartShardsAsync(CancellationToken cancellationToken)
    {
        JsonGatewayBot? bot = null;
        if (_getGatewayBot is not null && (_options.ShardCount is null || _options.GatewayUrl is null))
        {
            try
            {
                bot = await _getGatewayBot(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && _options.ShardCount is not null)
            {
                GatewayLog.GatewayBotFailed(_logger, ex.Message);
            }
        }

        var shardCount = _options.ShardCount ?? Math.Max(1, bot?.Shards ?? 1);
        var maxConcurrency = Math.Max(1, bot?.SessionStartLimit?.MaxConcurrency ?? 1);
        var gatewayUri = _options.GatewayUrl ?? GatewayAddress.TryParse(bot?.Url) ?? new Uri(GatewayClientOptions.DefaultGatewayUrl);
        var first = _options.FirstShardId;
        var last = _options.LastShardId ?? shardCount - 1;
        if (first >= shardCount || last >= shardCount)
        {
            throw new InvalidOperationException($"Gateway settings 'FirstShardId'/'LastShardId' ({first}..{last}) do not fit the shard count {shardCount}; each must be below it.");
        }

        var settings = new GatewayShardSettings(
            _token,
            _options.Intents,
            _options.Compression,
            _options.LargeThreshold,
            _options.IdentifyProperties,
            _options.MaxPayloadBytes,
            shardCount,
            gatewayUri,
            new IdentifyGate(_time, maxConcurrency, IdentifyInterval),
            _reconnectStrategy,
            _time,
            _random);
        var shardLogger = _loggerFactory.CreateLogger<GatewayShard>();
        var shards = new GatewayShard[last - first + 1];
        for (var i = 0; i < shards.Length; i++)
        {
            shards[i] = new GatewayShard(first + i, settings, _events.Writer, shardLogger);
        }

        GatewayLog.Starting(_logger, first, last, shardCount, maxConcurrency, _options.Compression);
        lock (_gate)
        {
            ShardCount = shardCount;
            _shards = shards;
            _running = RunAsync(shards);
        }
    }

    /// <summary>Stops every shard (closing with 1000) and completes <see cref="Events"/>. Safe to call more than once.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_running is { } running)
        {
            try
            {
                await running.WaitAsync(cancellationToken);
            }
            catch (GatewayFatalException)
            {
                // Already surfaced through Events and Completion.
            }
        }
        else
        {
            _events.Writer.TryComplete();
        }
    }

    /// <summary>Status of each shard this process runs, for /health.</summary>
    public IReadOnlyList<GatewayShardStatus> GetShardStatuses()
    {
        GatewayShard[] shards;
        lock (_gate)
        {
            shards = _shards;
        }

        return [.. shards.Select(s => s.GetStatus())];
    }

    /// <summary>
    /// Sends an application payload (op 3 presence, op 4 voice state, op 8 request guild members, op 31) on one shard.
    /// Waits while the connection's send budget (120 per 60 s, two kept for heartbeats) is spent.
    /// </summary>
    /// <param name="data">The <c>d</c> value as UTF-8 JSON.</param>
    /// <exception cref="ArgumentException">A protocol opcode (heartbeat, identify, resume…) or invalid JSON.</exception>
    /// <exception cref="InvalidOperationException">The shard is not run by this process or not connected now.</exception>
    public Task SendAsync(int shardId, GatewayOpCode opCode, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        GetShard(shardId).SendAsync(opCode, data, cancellationToken);

    /// <summary>Sets the bot's presence on every connected shard (shards that are reconnecting are skipped).</summary>
    public async Task UpdatePresenceAsync(GatewayPresence presence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(presence);
        var data = GatewayPayloadWriter.PresenceData(presence);
        GatewayShard[] shards;
        lock (_gate)
        {
            shards = _shards;
        }

        foreach (var shard in shards.Where(s => s.State == GatewayConnectionState.Ready))
        {
            try
            {
                await shard.SendAsync(GatewayOpCode.PresenceUpdate, data, cancellationToken);
            }
            catch (InvalidOperationException)
            {
                // Reconnecting right now; Discord keeps the previous presence for the session.
            }
        }
    }

    internal GatewayShard GetShard(int shardId)
    {
        lock (_gate)
        {
            return _shards.FirstOrDefault(s => s.ShardId == shardId)
                ?? throw new InvalidOperationException($"Shard {shardId} is not run by this gateway client.");
        }
    }

    private async Task RunAsync(GatewayShard[] shards)
    {
        await Task.Yield();
        var token = _stopping.Token;
        try
        {
            await Task.WhenAll(shards.Select(s => RunShardAsync(s, token)));
        }
        finally
        {
            _events.Writer.TryComplete(_fatal);
        }

        if (_fatal is not null)
        {
            throw _fatal;
        }
    }

    private async Task RunShardAsync(GatewayShard shard, CancellationToken stoppingToken)
    {
        try
        {
            await shard.RunAsync(stoppingToken);
        }
        catch (GatewayFatalException ex)
        {
            Interlocked.CompareExchange(ref _fatal, ex, null);
            await _stopping.CancelAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            GatewayLog.Unexpected(_logger, shard.ShardId, ex);
            Interlocked.CompareExchange(ref _fatal, new GatewayFatalException(0, shard.ShardId, $"Gateway shard {shard.ShardId} failed unexpectedly: {ex.Message}"), null);
            await _stopping.CancelAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _stopping.Dispose();
    }
}
