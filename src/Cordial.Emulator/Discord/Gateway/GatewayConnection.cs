using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Cordial.Emulator.Discord.Gateway;

/// <summary>
/// One gateway websocket: a read loop that handles client opcodes and a single writer loop fed by a
/// bounded queue (the only place that sends, so sends never overlap). A client too slow to drain the
/// queue is disconnected rather than buffered without bound.
/// </summary>
internal sealed class GatewayConnection
{
    private const int MaxInboundBytes = 64 * 1024;
    private const int MaxFrameBytes = 16 * 1024;
    private const int QueueCapacity = 16_384;

    private readonly WebSocket _socket;
    private readonly DiscordEmulator _emulator;
    private readonly bool _compress;
    private readonly Channel<OutgoingFrame> _outgoing = Channel.CreateBounded<OutgoingFrame>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _lifetime = new();
    private long _windowStart;
    private int _sendsInWindow;
    private int _closing;
    private int _counted;
    private int _ended;
    private volatile GatewaySession? _session;

    public GatewayConnection(WebSocket socket, DiscordEmulator emulator, bool compress, string gatewayUrl)
    {
        _socket = socket;
        _emulator = emulator;
        _compress = compress;
        GatewayUrl = gatewayUrl;
        _windowStart = emulator.Time.GetTimestamp();
    }

    public string GatewayUrl { get; }
    public GatewaySession? Session => _session;

    public async Task RunAsync((int Code, string Reason)? reject, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        var writer = WriteLoopAsync(linked.Token);
        if (reject is { } r)
        {
            Close(r.Code, r.Reason);
        }
        else
        {
            SendJson("{\"op\":10,\"d\":{\"heartbeat_interval\":" + ((long)_emulator.Options.HeartbeatInterval.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture) + "}}");
        }

        try
        {
            await ReadLoopAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException ex)
        {
            DiscordEmulatorLog.GatewaySocketError(_emulator.Logger, ex.Message);
        }
        finally
        {
            _session?.Detach(this);
            Volatile.Write(ref _ended, 1);
            _outgoing.Writer.TryComplete();
        }

        try
        {
            await writer.WaitAsync(TimeSpan.FromSeconds(10), _emulator.Time, CancellationToken.None);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or TimeoutException or ObjectDisposedException)
        {
        }

        await _lifetime.CancelAsync();
        _lifetime.Dispose();
    }

    /// <summary>Queues a payload; a full queue (client not reading) aborts the connection.</summary>
    public void TrySend(byte[] payload)
    {
        if (!_outgoing.Writer.TryWrite(OutgoingFrame.Data(payload)) && Volatile.Read(ref _ended) == 0)
        {
            Abort(); // the client stopped reading: its bounded queue is full
        }
    }

    public void SendJson(string json) => TrySend(Encoding.UTF8.GetBytes(json));

    /// <summary>Sends a close frame with the code after whatever is already queued.</summary>
    public void Close(int code, string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 0)
        {
            DiscordEmulatorLog.GatewayClosing(_emulator.Logger, code, reason);
            if (!_outgoing.Writer.TryWrite(OutgoingFrame.CloseWith(code, reason)) && Volatile.Read(ref _ended) == 0)
            {
                Abort();
            }
        }
    }

    /// <summary>Drops the TCP connection without a close frame.</summary>
    public void Abort()
    {
        Interlocked.Exchange(ref _closing, 1);
        try
        {
            _socket.Abort();
            _lifetime.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // the connection already ended
        }
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(8192);
        try
        {
            using var message = new MemoryStream();
            while (_socket.State == WebSocketState.Open || _socket.State == WebSocketState.CloseSent)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (Interlocked.Exchange(ref _closing, 1) == 0)
                    {
                        _outgoing.Writer.TryWrite(OutgoingFrame.CloseWith((int)(_socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure), "closing"));
                    }

                    return;
                }

                if (Volatile.Read(ref _closing) == 1)
                {
                    continue; // ignore anything after we decided to close
                }

                message.Write(buffer, 0, result.Count);
                if (message.Length > MaxInboundBytes)
                {
                    DiscordEmulatorLog.GatewayMalformed(_emulator.Logger, "payload too large");
                    Close(GatewayCloseCodes.DecodeError, "Error while decoding payload.");
                    message.SetLength(0);
                    continue;
                }

                if (!result.EndOfMessage)
                {
                    continue;
                }

                var bytes = message.ToArray();
                message.SetLength(0);
                Handle(bytes);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Handle(byte[] bytes)
    {
        if (!CountSend())
        {
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            DiscordEmulatorLog.GatewayMalformed(_emulator.Logger, "invalid JSON");
            Close(GatewayCloseCodes.DecodeError, "Error while decoding payload.");
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("op", out var opElement) || !opElement.TryGetInt32(out var op))
            {
                DiscordEmulatorLog.GatewayMalformed(_emulator.Logger, "missing op");
                Close(GatewayCloseCodes.DecodeError, "Error while decoding payload.");
                return;
            }

            root.TryGetProperty("d", out var data);
            try
            {
                Dispatch(op, data);
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or JsonException or KeyNotFoundException)
            {
                DiscordEmulatorLog.GatewayMalformed(_emulator.Logger, ex.Message);
                Close(GatewayCloseCodes.DecodeError, "Error while decoding payload.");
            }
        }
    }

    private void Dispatch(int op, JsonElement data)
    {
        switch (op)
        {
            case 1:
                if (!_emulator.Faults.HeartbeatAcksSuppressed)
                {
                    SendJson("{\"op\":11}");
                }

                break;
            case 2:
                Identify(data);
                break;
            case 6:
                Resume(data);
                break;
            case 3 or 4 or 8 or 31:
                if (_session is null)
                {
                    Close(GatewayCloseCodes.NotAuthenticated, "Not authenticated.");
                }

                break;
            default:
                Close(GatewayCloseCodes.UnknownOpcode, "Unknown opcode.");
                break;
        }
    }

    /// <summary>The checks IDENTIFY and RESUME share; closes the connection with the right code and returns null on failure.</summary>
    private BotState? Authenticate(JsonElement data)
    {
        if (_session is not null)
        {
            Close(GatewayCloseCodes.AlreadyAuthenticated, "Already authenticated.");
            return null;
        }

        if (data.ValueKind != JsonValueKind.Object)
        {
            Close(GatewayCloseCodes.DecodeError, "Error while decoding payload.");
            return null;
        }

        var token = data.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var bot = _emulator.Authenticate(StripBotPrefix(token));
        if (bot is null)
        {
            Close(GatewayCloseCodes.AuthenticationFailed, "Authentication failed.");
            return null;
        }

        CountConnectionOnce(bot);
        return bot;
    }

    private void Identify(JsonElement data)
    {
        if (Authenticate(data) is not { } bot)
        {
            return;
        }

        bot.CountIdentify();
        if (!data.TryGetProperty("intents", out var intentsElement) || !intentsElement.TryGetInt64(out var intents)
            || intents < 0 || (intents & ~(long)GatewayIntents.All) != 0)
        {
            Close(GatewayCloseCodes.InvalidIntents, "Invalid intent(s).");
            return;
        }

        if ((intents & GatewayIntents.MessageContent) != 0 && !bot.Bot.MessageContentIntentAllowed)
        {
            Close(GatewayCloseCodes.DisallowedIntents, "Disallowed intent(s).");
            return;
        }

        int shardId = 0, shardCount = 1;
        if (data.TryGetProperty("shard", out var shard) && shard.ValueKind == JsonValueKind.Array)
        {
            if (shard.GetArrayLength() != 2 || !shard[0].TryGetInt32(out shardId) || !shard[1].TryGetInt32(out shardCount)
                || shardCount < 1 || shardId < 0 || shardId >= shardCount)
            {
                Close(GatewayCloseCodes.InvalidShard, "Invalid shard.");
                return;
            }
        }

        _session = _emulator.StartSession(this, bot, (int)intents, shardId, shardCount);
    }

    private void Resume(JsonElement data)
    {
        if (Authenticate(data) is not { } bot)
        {
            return;
        }

        var sessionId = data.TryGetProperty("session_id", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        var sequence = data.TryGetProperty("seq", out var q) && q.ValueKind == JsonValueKind.Number && q.TryGetInt32(out var seq) ? seq : 0;
        var session = sessionId is null ? null : _emulator.ResumeSession(this, bot, sessionId, sequence);
        if (session is null)
        {
            SendJson("{\"op\":9,\"d\":false}");
            return;
        }

        _session = session;
    }

    /// <summary>Used by the INVALID_SESSION fault: the connection may IDENTIFY or RESUME again.</summary>
    public void ForgetSession() => _session = null;

    /// <summary>The session this connection serves, set before its READY or RESUMED is sent.</summary>
    internal void UseSession(GatewaySession session) => _session = session;

    private void CountConnectionOnce(BotState bot)
    {
        if (Interlocked.Exchange(ref _counted, 1) == 0)
        {
            bot.CountGatewayConnection();
        }
    }

    private static string? StripBotPrefix(string? token) =>
        token is not null && token.StartsWith("Bot ", StringComparison.Ordinal) ? token[4..] : token;

    private bool CountSend()
    {
        var now = _emulator.Time.GetTimestamp();
        if (_emulator.Time.GetElapsedTime(_windowStart, now) >= _emulator.Options.GatewaySendWindow)
        {
            _windowStart = now;
            _sendsInWindow = 0;
        }

        if (++_sendsInWindow > _emulator.Options.GatewaySendLimit)
        {
            _session?.Bot.CountGatewaySendRejected();
            Close(GatewayCloseCodes.RateLimited, "You are being rate limited.");
            return false;
        }

        return true;
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        using var encoder = _compress ? new ZlibStreamEncoder() : null;
        await foreach (var frame in _outgoing.Reader.ReadAllAsync(cancellationToken))
        {
            if (frame.Payload is { } payload)
            {
                if (encoder is null)
                {
                    await _socket.SendAsync(payload, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
                    continue;
                }

                // zlib-stream: large payloads go out as several binary messages; only the last one ends
                // with the sync-flush suffix, so clients must buffer until they see 00 00 FF FF.
                var compressed = encoder.Compress(payload);
                for (var offset = 0; offset < compressed.Length; offset += MaxFrameBytes)
                {
                    var count = Math.Min(MaxFrameBytes, compressed.Length - offset);
                    await _socket.SendAsync(compressed.AsMemory(offset, count), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
                }

                continue;
            }

            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync((WebSocketCloseStatus)frame.CloseCode, frame.CloseReason, cancellationToken);
            }

            // Give the client time to answer the close, then end the connection either way.
            _lifetime.CancelAfter(TimeSpan.FromSeconds(5));
            return;
        }
    }

    private readonly record struct OutgoingFrame(byte[]? Payload, int CloseCode, string? CloseReason)
    {
        public static OutgoingFrame Data(byte[] payload) => new(payload, 0, null);

        public static OutgoingFrame CloseWith(int code, string reason) => new(null, code, reason);
    }
}
