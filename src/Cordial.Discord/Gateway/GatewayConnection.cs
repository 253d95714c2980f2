using System.Net.WebSockets;

namespace Cordial.Discord.Gateway;

/// <summary>
/// One WebSocket to the gateway: serialized sends behind the per-connection <see cref="GatewaySendLimiter"/>, and the
/// receive side for the shard's read loop. Owned and disposed by the shard that opened it.
/// </summary>
internal sealed class GatewayConnection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly GatewaySendLimiter _limiter;
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    private GatewayConnection(ClientWebSocket socket, GatewaySendLimiter limiter)
    {
        _socket = socket;
        _limiter = limiter;
    }

    public GatewaySendLimiter Limiter => _limiter;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public static async Task<GatewayConnection> ConnectAsync(Uri uri, TimeProvider time, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero; // the gateway heartbeat is the keep-alive
        try
        {
            using var timeoutCts = new CancellationTokenSource(timeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
            try
            {
                await socket.ConnectAsync(uri, linked.Token);
            }
            catch (OperationCanceledException) when (timeoutCts.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new WebSocketException($"connecting timed out after {timeout.TotalSeconds:0} s");
            }

            return new GatewayConnection(socket, GatewaySendLimiter.CreateDefault(time));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        _socket.ReceiveAsync(buffer, cancellationToken);

    /// <summary>Waits for a send slot, then sends one text message. Heartbeats may use the reserved slots.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> payload, bool heartbeat, CancellationToken cancellationToken)
    {
        await _limiter.WaitAsync(heartbeat, cancellationToken);
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(payload, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends a close frame when the socket still allows it (bounded wait), without waiting for the reply.
    /// Never throws.</summary>
    /// <param name="code">1000 ends the session on Discord's side; use 4000 to keep it resumable.</param>
    public async Task SendCloseAsync(int code, TimeProvider time)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
            await _sendLock.WaitAsync(cts.Token);
            try
            {
                if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync((WebSocketCloseStatus)code, null, cts.Token);
                }
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            // Closing is best effort.
        }
    }

    /// <summary>Sends a close frame if still possible, then aborts the socket. Never throws.</summary>
    public async Task CloseAsync(int code, TimeProvider time)
    {
        await SendCloseAsync(code, time);
        _socket.Abort();
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        _sendLock.Dispose();
        return ValueTask.CompletedTask;
    }
}
