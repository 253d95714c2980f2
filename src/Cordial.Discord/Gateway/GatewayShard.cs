using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Cordial.Discord.Gateway;

/// <summary>
/// One shard: connects, identifies or resumes, heartbeats, reads dispatches into the shared event channel, and
/// reconnects until stopped or until Discord closes with a fatal code. One connection at a time; everything tied to a
/// connection (heartbeat timer, heartbeat sender, send limiter) lives under that connection's token and ends with it.
/// </summary>
internal sealed class GatewayShard
{
    private const int ReceiveBufferBytes = 16 * 1024;

    private readonly GatewayShardSettings _settings;
    private readonly ChannelWriter<GatewayEvent> _events;
    private readonly ILogger _logger;
    private readonly Lock _sessionGate = new();
    private string? _sessionId;
    private Uri? _resumeUri;
    private long _lastSequence = -1;
    private volatile GatewayConnection? _connection;
    private int _state;
    private long _identifies;
    private long _resumes;
    private long _reconnects;
    private long _unknownEvents;
    private long _malformedFrames;
    private long _latencyTicks = -1;
    private int _lastCloseCode = -1;
    private volatile string? _fatalError;
    private bool _established;

    public GatewayShard(int shardId, GatewayShardSettings settings, ChannelWriter<GatewayEvent> events, ILogger logger)
    {
        ShardId = shardId;
        _settings = settings;
        _events = events;
        _logger = logger;
    }

    public int ShardId { get; }

    public GatewayConnectionState State
    {
        get => (GatewayConnectionState)Volatile.Read(ref _state);
        private set => Volatile.Write(ref _state, (int)value);
    }

    /// <summary>The sequence number of the last dispatch handed to the consumer, or null.</summary>
    public int? LastSequence => Volatile.Read(ref _lastSequence) is var s and >= 0 ? (int)s : null;

    /// <summary>The current session id (null before READY or after the session was invalidated).</summary>
    public string? SessionId
    {
        get
        {
            lock (_sessionGate)
            {
                return _sessionId;
            }
        }
    }

    public GatewayShardStatus GetStatus()
    {
        var latency = Interlocked.Read(ref _latencyTicks);
        var close = Volatile.Read(ref _lastCloseCode);
        return new GatewayShardStatus(
            ShardId,
            State,
            latency >= 0 ? TimeSpan.FromTicks(latency) : null,
            Interlocked.Read(ref _identifies),
            Interlocked.Read(ref _resumes),
            Interlocked.Read(ref _reconnects),
            Interlocked.Read(ref _unknownEvents),
            Interlocked.Read(ref _malformedFrames),
            close >= 0 ? close : null,
            _fatalError);
    }

    /// <summary>Sends an application payload (presence, voice state, request guild members) on the current connection,
    /// waiting for the send limiter.</summary>
    /// <exception cref="InvalidOperationException">The shard has no open connection right now.</exception>
    public async Task SendAsync(GatewayOpCode opCode, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (opCode is GatewayOpCode.Heartbeat or GatewayOpCode.Identify or GatewayOpCode.Resume or GatewayOpCode.Dispatch
            or GatewayOpCode.Hello or GatewayOpCode.HeartbeatAck or GatewayOpCode.Reconnect or GatewayOpCode.InvalidSession)
        {
            throw new ArgumentException($"Opcode {opCode} is managed by the gateway client and cannot be sent directly.", nameof(opCode));
        }

        var frame = GatewayPayloadWriter.Frame(opCode, data);
        var connection = _connection ?? throw new InvalidOperationException($"Gateway shard {ShardId} is not connected; try again once it has reconnected.");
        try
        {
            await connection.SendAsync(frame, heartbeat: false, cancellationToken);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or WebSocketException)
        {
            throw new InvalidOperationException($"Gateway shard {ShardId} lost its connection while sending; try again once it has reconnected.", ex);
        }
    }

    /// <summary>Runs until <paramref name="stoppingToken"/> is cancelled (returns) or a fatal close (throws
    /// <see cref="GatewayFatalException"/>).</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        IEnumerator<TimeSpan>? delays = null;
        var lastDelay = TimeSpan.FromSeconds(1);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                GatewayConnectionOutcome outcome;
                try
                {
                    outcome = await RunConnectionAsync(stoppingToken);
                    if (stoppingToken.IsCancellationRequested)
                    {
                        break;
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex) when (ex is WebSocketException or IOException or HttpRequestException or System.Net.Sockets.SocketException)
                {
                    GatewayLog.ConnectionFailed(_logger, ShardId, ex.Message);
                    outcome = new GatewayConnectionOutcome(ex.Message, Resume: true);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Anything else is a bug or a surprise from the socket: log it in full, keep the shard alive.
                    GatewayLog.Unexpected(_logger, ShardId, ex);
                    outcome = new GatewayConnectionOutcome(ex.GetType().Name, Resume: true);
                }

                if (outcome.FatalMessage is { } fatal)
                {
                    _fatalError = fatal;
                    State = GatewayConnectionState.Failed;
                    GatewayLog.Fatal(_logger, ShardId, fatal);
                    throw new GatewayFatalException(outcome.CloseCode ?? 0, ShardId, fatal);
                }

                if (!outcome.Resume)
                {
                    ClearSession();
                }

                if (_established)
                {
                    delays?.Dispose();
                    delays = null;
                }

                delays ??= _settings.ReconnectStrategy.GetDelays().GetEnumerator();
                if (outcome.Delay is { } requested)
                {
                    lastDelay = requested;
                }
                else if (delays.MoveNext())
                {
                    lastDelay = delays.Current;
                }

                Interlocked.Increment(ref _reconnects);
                State = GatewayConnectionState.Reconnecting;
                GatewayLog.Reconnecting(_logger, ShardId, outcome.Reason, lastDelay, outcome.Resume && SessionId is not null);
                try
                {
                    await Task.Delay(lastDelay, _settings.Time, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
            }
        }
        finally
        {
            delays?.Dispose();
            if (State != GatewayConnectionState.Failed)
            {
                State = GatewayConnectionState.Stopped;
            }
        }
    }

    private async Task<GatewayConnectionOutcome> RunConnectionAsync(CancellationToken stoppingToken)
    {
        _established = false;
        string? sessionId;
        Uri? resumeUri;
        lock (_sessionGate)
        {
            sessionId = _sessionId;
            resumeUri = _resumeUri;
        }

        var resume = sessionId is not null;
        if (!resume)
        {
            await _settings.IdentifyGate.WaitAsync(ShardId, stoppingToken);
        }

        var target = GatewayAddress.Build(resume ? resumeUri ?? _settings.GatewayUri : _settings.GatewayUri, _settings.Compression);
        State = GatewayConnectionState.Connecting;
        GatewayLog.Connecting(_logger, ShardId, target.Authority, resume ? "resume" : "identify");

        // Two tokens: `ct` (sends, heartbeats, event hand-off) ends with the connection, or when the client stops — but
        // only after the close frame went out: cancelling a send that is under way (a heartbeat) aborts the socket, and
        // the close 1000 would be lost. The receive token ends with the connection only, so stopping can read Discord's
        // reply to the close.
        using var cts = new CancellationTokenSource();
        using var receiveCts = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _settings.Time);
        var ct = cts.Token;
        GatewayConnection connection;
        using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, ct))
        {
            connection = await GatewayConnection.ConnectAsync(target, _settings.Time, _settings.ConnectTimeout, connecting.Token);
        }

        Task? stopClose = null;
        using var stopRegistration = stoppingToken.Register(() =>
        {
            stopClose = CloseThenStopAsync();
            receiveCts.CancelAfter(TimeSpan.FromSeconds(2));
        });

        async Task CloseThenStopAsync()
        {
            await connection.SendCloseAsync(1000, _settings.Time); // waits for a send under way; never throws
            try
            {
                await cts.CancelAsync();
            }
            catch (ObjectDisposedException)
            {
                // The connection ended meanwhile.
            }
        }
        using var reader = new GatewayMessageReader(_settings.Compression, _settings.MaxPayloadBytes);
        var signals = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        var flags = new ConnectionFlags();
        // Timer callbacks may race with the end of this method: cancelling disposed sources is harmless then.
        void Abandon()
        {
            try
            {
                cts.Cancel();
                receiveCts.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The connection already ended.
            }
        }

        using var helloTimer = _settings.Time.CreateTimer(
            _ =>
            {
                flags.HelloTimedOut = true;
                Abandon();
            },
            null,
            _settings.HelloTimeout,
            Timeout.InfiniteTimeSpan);
        HeartbeatMonitor? heartbeat = null;
        var heartbeatSender = Task.CompletedTask;
        var buffer = new byte[ReceiveBufferBytes];
        _connection = connection;
        try
        {
            while (true)
            {
                var result = await connection.ReceiveAsync(buffer, receiveCts.Token);
                var receivedAt = _settings.Time.GetTimestamp();
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return CloseOutcome(connection.CloseStatus);
                }

                var status = reader.Append(buffer.AsSpan(0, result.Count), result.EndOfMessage);
                if (status == GatewayReadStatus.NeedMore)
                {
                    continue;
                }

                if (status == GatewayReadStatus.Skipped)
                {
                    Interlocked.Increment(ref _malformedFrames);
                    GatewayLog.Malformed(_logger, ShardId, reader.Error ?? "unreadable frame");
                    continue;
                }

                if (status == GatewayReadStatus.Broken)
                {
                    Interlocked.Increment(ref _malformedFrames);
                    GatewayLog.Malformed(_logger, ShardId, reader.Error ?? "broken stream");
                    return new GatewayConnectionOutcome("the compressed stream broke: " + reader.Error, Resume: true);
                }

                var payload = reader.Payload;
                if (!GatewayPayloadReader.TryRead(payload.Span, ShardId, out var envelope, out var parsed, out var dataError, out var error))
                {
                    Interlocked.Increment(ref _malformedFrames);
                    GatewayLog.Malformed(_logger, ShardId, error ?? "unreadable payload");
                    if (_logger.IsEnabled(LogLevel.Trace))
                    {
                        GatewayLog.MalformedText(_logger, ShardId, System.Text.Encoding.UTF8.GetString(payload.Span[..Math.Min(payload.Length, 4096)]));
                    }

                    continue;
                }

                switch ((GatewayOpCode)envelope.OpCode)
                {
                    case GatewayOpCode.Hello when heartbeat is null:
                        helloTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                        if (GatewayEventParser.ReadHeartbeatInterval(envelope.Data(payload.Span)) is not { } interval)
                        {
                            Interlocked.Increment(ref _malformedFrames);
                            return new GatewayConnectionOutcome("HELLO had no valid heartbeat_interval", Resume: true);
                        }

                        heartbeat = new HeartbeatMonitor(
                            _settings.Time,
                            interval,
                            _settings.Random(),
                            () => signals.Writer.TryWrite(true),
                            () =>
                            {
                                flags.Zombie = true;
                                Abandon();
                            });
                        heartbeatSender = SendHeartbeatsAsync(connection, signals.Reader, ct);
                        heartbeat.Start();
                        await SendIdentifyOrResumeAsync(connection, sessionId, ct);
                        break;

                    case GatewayOpCode.HeartbeatAck:
                        if (heartbeat is not null)
                        {
                            heartbeat.Acknowledge();
                            if (heartbeat.Latency is { } latency)
                            {
                                Interlocked.Exchange(ref _latencyTicks, latency.Ticks);
                            }
                        }

                        break;

                    case GatewayOpCode.Heartbeat:
                        signals.Writer.TryWrite(true);
                        break;

                    case GatewayOpCode.Reconnect:
                        return new GatewayConnectionOutcome("Discord asked for a reconnect (op 7)", Resume: true);

                    case GatewayOpCode.InvalidSession:
                        var resumable = GatewayEventParser.ReadResumable(envelope.Data(payload.Span));
                        GatewayLog.InvalidSession(_logger, ShardId, resumable);
                        return resumable
                            ? new GatewayConnectionOutcome("invalid session (op 9, resumable)", Resume: true)
                            : new GatewayConnectionOutcome("invalid session (op 9)", Resume: false, Delay: TimeSpan.FromSeconds(1 + (4 * Math.Clamp(_settings.Random(), 0, 1))));

                    case GatewayOpCode.Dispatch:
                        await HandleDispatchAsync(envelope, payload, parsed, dataError, receivedAt, ct);
                        break;

                    default:
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (flags.Zombie && !stoppingToken.IsCancellationRequested)
        {
            GatewayLog.Zombie(_logger, ShardId);
            return new GatewayConnectionOutcome("no heartbeat ACK (zombie connection)", Resume: true);
        }
        catch (OperationCanceledException) when (flags.HelloTimedOut && !stoppingToken.IsCancellationRequested)
        {
            return new GatewayConnectionOutcome("no HELLO after connecting", Resume: true);
        }
        catch (WebSocketException ex) when (!stoppingToken.IsCancellationRequested)
        {
            return new GatewayConnectionOutcome(ex.Message, Resume: true);
        }
        finally
        {
            _connection = null;
            await stopRegistration.DisposeAsync();
            heartbeat?.Dispose();
            await cts.CancelAsync();
            await heartbeatSender;
            if (stopClose is not null)
            {
                await stopClose;
            }

            await connection.CloseAsync(stoppingToken.IsCancellationRequested ? 1000 : 4000, _settings.Time);
            await connection.DisposeAsync();
        }
    }

    private async Task SendIdentifyOrResumeAsync(GatewayConnection connection, string? sessionId, CancellationToken cancellationToken)
    {
        byte[] payload;
        if (sessionId is not null)
        {
            State = GatewayConnectionState.Resuming;
            payload = GatewayPayloadWriter.Resume(_settings.Token, sessionId, LastSequence);
        }
        else
        {
            State = GatewayConnectionState.Identifying;
            Interlocked.Increment(ref _identifies);
            payload = GatewayPayloadWriter.Identify(_settings.Token, _settings.Intents, ShardId, _settings.ShardCount, _settings.LargeThreshold, _settings.IdentifyProperties);
        }

        await connection.SendAsync(payload, heartbeat: false, cancellationToken);
    }

    private async Task SendHeartbeatsAsync(GatewayConnection connection, ChannelReader<bool> signals, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var _ in signals.ReadAllAsync(cancellationToken))
            {
                await connection.SendAsync(GatewayPayloadWriter.Heartbeat(LastSequence), heartbeat: true, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The connection ended.
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            GatewayLog.HeartbeatFailed(_logger, ShardId, ex.Message);
        }
    }

    private async Task HandleDispatchAsync(GatewayPayload envelope, ReadOnlyMemory<byte> payload, GatewayEvent? parsed, string? dataError, long receivedAt, CancellationToken cancellationToken)
    {
        var evt = ParseDispatch(envelope, payload.Span, parsed, dataError);
        if (evt is not null)
        {
            evt.ReceivedTimestamp = receivedAt;
            await _events.WriteAsync(evt, cancellationToken);
        }

        // Only now is the dispatch delivered: a resume from here never loses it and never repeats it.
        if (envelope.Sequence is { } sequence)
        {
            Volatile.Write(ref _lastSequence, sequence);
        }
    }

    private GatewayEvent? ParseDispatch(GatewayPayload envelope, ReadOnlySpan<byte> payload, GatewayEvent? parsed, string? dataError)
    {
        if (envelope.Dispatch == GatewayDispatchType.Unknown)
        {
            Interlocked.Increment(ref _unknownEvents);
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                GatewayLog.UnknownEvent(_logger, ShardId, envelope.Name(payload));
            }

            return null;
        }

        if (dataError is not null)
        {
            Interlocked.Increment(ref _malformedFrames);
            GatewayLog.Malformed(_logger, ShardId, $"{envelope.Dispatch}: {dataError}");
            return null;
        }

        var evt = parsed;
        try
        {
            // Read in the envelope pass unless the event name came after "d".
            evt ??= GatewayEventParser.Parse(envelope.Dispatch, ShardId, envelope.Data(payload));
        }
        catch (JsonException ex)
        {
            Interlocked.Increment(ref _malformedFrames);
            GatewayLog.Malformed(_logger, ShardId, $"{envelope.Dispatch}: {ex.Message}");
            return null;
        }

        switch (evt)
        {
            case ReadyEvent ready:
                var resumeUri = GatewayAddress.TryParse(ready.Ready.ResumeGatewayUrl);
                if (resumeUri is null)
                {
                    GatewayLog.BadResumeUrl(_logger, ShardId);
                }

                lock (_sessionGate)
                {
                    _sessionId = string.IsNullOrEmpty(ready.Ready.SessionId) ? null : ready.Ready.SessionId;
                    _resumeUri = resumeUri;
                }

                _established = true;
                State = GatewayConnectionState.Ready;
                GatewayLog.Ready(_logger, ShardId, ready.Ready.Guilds.Length);
                break;

            case ResumedEvent:
                Interlocked.Increment(ref _resumes);
                _established = true;
                State = GatewayConnectionState.Ready;
                GatewayLog.Resumed(_logger, ShardId);
                break;
        }

        return evt;
    }

    private GatewayConnectionOutcome CloseOutcome(WebSocketCloseStatus? status)
    {
        if (status is not { } s)
        {
            return new GatewayConnectionOutcome("closed without a code", Resume: true);
        }

        var code = (int)s;
        Volatile.Write(ref _lastCloseCode, code);
        if (GatewayCloseCodes.DescribeFatal(code) is { } fatal)
        {
            return new GatewayConnectionOutcome($"closed with {code}", Resume: false, FatalMessage: fatal, CloseCode: code);
        }

        return new GatewayConnectionOutcome($"closed with {code}", Resume: !GatewayCloseCodes.RequiresNewSession(code), CloseCode: code);
    }

    private void ClearSession()
    {
        lock (_sessionGate)
        {
            _sessionId = null;
            _resumeUri = null;
        }

        Volatile.Write(ref _lastSequence, -1);
    }

    /// <summary>Set from timer callbacks, read after the cancellation they trigger.</summary>
    private sealed class ConnectionFlags
    {
        public volatile bool Zombie;
        public volatile bool HelloTimedOut;
    }
}
