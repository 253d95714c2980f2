using System.IO.Compression;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cordial.Emulator.Tests.Discord;

/// <summary>
/// A raw gateway client for tests (ClientWebSocket, no Cordial.Discord). With zlib-stream it inflates every
/// binary message through ONE zlib context, buffering until the 00 00 FF FF suffix, as Discord clients must.
/// </summary>
internal sealed class GatewayTestClient : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly ClientWebSocket _socket = new();
    private readonly Pipe _compressed = new();
    private ZLibStream? _inflater;
    private readonly List<byte> _pendingCompressed = [];

    private GatewayTestClient(bool compress)
    {
        Compressed = compress;
        if (compress)
        {
            _inflater = new ZLibStream(_compressed.Reader.AsStream(), CompressionMode.Decompress);
        }
    }

    public bool Compressed { get; }
    public int LastSequence { get; private set; }
    public int? CloseStatus { get; private set; }

    /// <summary>Binary websocket messages received (compressed mode).</summary>
    public List<byte[]> CompressedMessages { get; } = [];

    /// <summary>Every dispatch received, in order.</summary>
    public List<JsonObject> Dispatches { get; } = [];

    public static async Task<GatewayTestClient> ConnectAsync(Uri gateway, bool compress = false, string? query = null)
    {
        var client = new GatewayTestClient(compress);
        var q = query ?? ("v=10&encoding=json" + (compress ? "&compress=zlib-stream" : ""));
        using var cts = new CancellationTokenSource(Bound);
        await client._socket.ConnectAsync(new Uri(gateway + "?" + q), cts.Token);
        return client;
    }

    public async Task SendAsync(string json)
    {
        using var cts = new CancellationTokenSource(Bound);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, cts.Token);
    }

    public Task SendAsync(JsonNode payload) => SendAsync(payload.ToJsonString());

    /// <summary>The next payload, or null when the server closed (then <see cref="CloseStatus"/> is set).</summary>
    public async Task<JsonObject?> ReceiveAsync()
    {
        using var cts = new CancellationTokenSource(Bound);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await _socket.ReceiveAsync(buffer, cts.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    CloseStatus = (int?)result.CloseStatus;
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token);
                    }

                    return null;
                }

                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            var bytes = message.ToArray();
            if (result.MessageType == WebSocketMessageType.Text)
            {
                return Track(JsonNode.Parse(bytes)!.AsObject());
            }

            CompressedMessages.Add(bytes);
            _pendingCompressed.AddRange(bytes);
            if (bytes.Length < 4 || bytes[^4] != 0 || bytes[^3] != 0 || bytes[^2] != 0xFF || bytes[^1] != 0xFF)
            {
                continue; // a partial payload: wait for the rest
            }

            await _compressed.Writer.WriteAsync(_pendingCompressed.ToArray(), cts.Token);
            _pendingCompressed.Clear();
            return Track(await InflateOneAsync(cts.Token));
        }
    }

    /// <summary>Receives until a dispatch of <paramref name="type"/> (fails on close).</summary>
    public async Task<JsonObject> WaitForDispatchAsync(string type)
    {
        while (true)
        {
            var payload = await ReceiveAsync() ?? throw new InvalidOperationException($"Connection closed ({CloseStatus}) while waiting for {type}.");
            if ((int?)payload["op"] == 0 && (string?)payload["t"] == type)
            {
                return payload;
            }
        }
    }

    /// <summary>Receives until an opcode (fails on close).</summary>
    public async Task<JsonObject> WaitForOpAsync(int op)
    {
        while (true)
        {
            var payload = await ReceiveAsync() ?? throw new InvalidOperationException($"Connection closed ({CloseStatus}) while waiting for op {op}.");
            if ((int?)payload["op"] == op)
            {
                return payload;
            }
        }
    }

    /// <summary>Receives until the server closes; returns the close code.</summary>
    public async Task<int?> WaitForCloseAsync()
    {
        try
        {
            while (await ReceiveAsync() is not null)
            {
            }
        }
        catch (WebSocketException)
        {
            return null; // aborted without a close frame
        }

        return CloseStatus;
    }

    /// <summary>HELLO, IDENTIFY, READY. Returns READY's "d".</summary>
    public async Task<JsonObject> IdentifyAsync(string token, int intents, int shardId = 0, int shardCount = 1)
    {
        await WaitForOpAsync(10);
        await SendAsync(new JsonObject
        {
            ["op"] = 2,
            ["d"] = new JsonObject
            {
                ["token"] = token,
                ["intents"] = intents,
                ["shard"] = new JsonArray(shardId, shardCount),
                ["properties"] = new JsonObject { ["os"] = "linux", ["browser"] = "test", ["device"] = "test" },
            },
        });
        return (await WaitForDispatchAsync("READY"))["d"]!.AsObject();
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }

        _socket.Dispose();
        await _compressed.Writer.CompleteAsync();
        if (_inflater is not null)
        {
            await _inflater.DisposeAsync();
            _inflater = null;
        }
    }

    private JsonObject Track(JsonObject payload)
    {
        if ((int?)payload["op"] == 0)
        {
            LastSequence = (int)payload["s"]!;
            Dispatches.Add(payload);
        }

        return payload;
    }

    private async Task<JsonObject> InflateOneAsync(CancellationToken cancellationToken)
    {
        // The payload is one JSON object: read inflated output until it parses (never past its end, so
        // the shared context is never asked for bytes that have not arrived yet).
        using var output = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var read = await _inflater!.ReadAsync(chunk, cancellationToken);
            if (read == 0)
            {
                throw new InvalidDataException("zlib stream ended");
            }

            output.Write(chunk, 0, read);
            if (IsCompleteJson(output.GetBuffer().AsSpan(0, (int)output.Length)))
            {
                return JsonNode.Parse(output.ToArray())!.AsObject();
            }
        }
    }

    private static bool IsCompleteJson(ReadOnlySpan<byte> bytes)
    {
        var reader = new Utf8JsonReader(bytes, isFinalBlock: false, default);
        try
        {
            return reader.Read() && reader.TrySkip() && reader.BytesConsumed == bytes.Length;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
