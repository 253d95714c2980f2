using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Cordial.Discord.Tests.Gateway;

/// <summary>The server side of one client connection of <see cref="FakeGatewayServer"/>.</summary>
internal sealed class FakeGatewayConnection
{
    private readonly WebSocket _socket;
    private readonly Channel<JsonElement> _received = Channel.CreateBounded<JsonElement>(10_000);
    private readonly ZlibTestStream? _zlib;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly SemaphoreSlim _compressLock = new(1, 1);
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _heartbeats;

    public FakeGatewayConnection(WebSocket socket, string pathAndQuery, bool compress)
    {
        _socket = socket;
        PathAndQuery = pathAndQuery;
        _zlib = compress ? new ZlibTestStream() : null;
    }

    /// <summary>The request path and query the client connected with.</summary>
    public string PathAndQuery { get; }

    /// <summary>Whether heartbeats (op 1) are answered with op 11. Default true.</summary>
    public bool AcknowledgeHeartbeats { get; set; } = true;

    public int Heartbeats => Volatile.Read(ref _heartbeats);

    /// <summary>Completes when the client closed or dropped the connection.</summary>
    public Task Closed => _done.Task;

    public WebSocketCloseStatus? ClientCloseStatus => _socket.CloseStatus;

    public async Task RunAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                var json = JsonDocument.Parse(message.ToArray()).RootElement.Clone();
                if (json.GetProperty("op").GetInt32() == 1)
                {
                    Interlocked.Increment(ref _heartbeats);
                    if (AcknowledgeHeartbeats)
                    {
                        await SendAsync("""{"op":11}""");
                    }
                }

                _received.Writer.TryWrite(json);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away.
        }
        finally
        {
            _received.Writer.TryComplete();
            _done.TrySetResult();
        }
    }

    /// <summary>Sends one payload as Discord would (compressed when the client asked for zlib-stream).</summary>
    public async Task SendAsync(string json, int? frameSize = null)
    {
        // Compress under the send lock's caller order: one context, payloads in send order.
        await _compressLock.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            await SendBytesAsync(_zlib?.Compress(json) ?? Encoding.UTF8.GetBytes(json), _zlib is null ? WebSocketMessageType.Text : WebSocketMessageType.Binary, frameSize);
        }
        finally
        {
            _compressLock.Release();
        }
    }

    /// <summary>Sends raw bytes, split into frames of <paramref name="frameSize"/> when given.</summary>
    public async Task SendBytesAsync(byte[] bytes, WebSocketMessageType type, int? frameSize = null)
    {
        await _sendLock.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            var size = frameSize ?? Math.Max(bytes.Length, 1);
            var offset = 0;
            do
            {
                var end = Math.Min(offset + size, bytes.Length);
                await _socket.SendAsync(bytes.AsMemory(offset, end - offset), type, end == bytes.Length, TestContext.Current.CancellationToken);
                offset = end;
            }
            while (offset < bytes.Length);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Next payload from the client with one of <paramref name="ops"/> (others are skipped).</summary>
    public async Task<JsonElement> ReceiveOpAsync(params int[] ops)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            JsonElement json;
            try
            {
                json = await _received.Reader.ReadAsync(cts.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
            {
                Assert.Fail($"The client sent no op {string.Join('/', ops)} ({ex.GetType().Name}).");
                throw;
            }

            if (ops.Contains(json.GetProperty("op").GetInt32()))
            {
                return json;
            }
        }
    }

    public async Task CloseAsync(int code)
    {
        await _sendLock.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            await _socket.CloseOutputAsync((WebSocketCloseStatus)code, "test", TestContext.Current.CancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public void Abort()
    {
        if (_done.Task.IsCompleted)
        {
            return;
        }

        try
        {
            _socket.Abort();
        }
        catch (ObjectDisposedException)
        {
            // The request already ended.
        }
    }
}
