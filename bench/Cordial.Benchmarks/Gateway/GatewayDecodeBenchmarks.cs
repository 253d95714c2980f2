using System.IO.Compression;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Cordial.Discord.Gateway;
using Cordial.Discord.Models;

namespace Cordial.Benchmarks.Gateway;

/// <summary>
/// Decoding one typical MESSAGE_CREATE frame into a <see cref="MessageCreateEvent"/>: envelope scan + source-generated
/// deserialization of <c>d</c>; and the same through the zlib-stream reader (one inflate context, as on a real connection).
/// Budget: ≤ 5 µs and ≤ 2 KB allocated per plain frame.
/// </summary>
[MemoryDiagnoser]
public class GatewayDecodeBenchmarks
{
    private const int FramesPerInvoke = 1000;

    private byte[] _frame = [];
    private byte[] _data = [];
    private byte[][] _compressedFrames = [];

    [GlobalSetup]
    public void Setup()
    {
        _frame = Encoding.UTF8.GetBytes(SampleMessageCreate(1));
        GatewayPayloadReader.TryRead(_frame, out var payload, out _);
        _data = payload.Data(_frame).ToArray();
        using var output = new MemoryStream();
        using var zlib = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true);
        _compressedFrames = new byte[FramesPerInvoke][];
        for (var i = 0; i < FramesPerInvoke; i++)
        {
            output.SetLength(0);
            zlib.Write(Encoding.UTF8.GetBytes(SampleMessageCreate(i + 1)));
            zlib.Flush();
            _compressedFrames[i] = output.ToArray();
        }
    }

    /// <summary>The floor: only deserializing the message object with the shared source-generated context.</summary>
    [Benchmark(Baseline = true)]
    public JsonMessage? DeserializeMessageOnly() => JsonSerializer.Deserialize(_data, DiscordJsonContext.Default.JsonMessage);

    [Benchmark]
    public GatewayEvent? DecodeMessageCreate()
    {
        GatewayPayloadReader.TryRead(_frame, 0, out _, out var evt, out _, out _);
        return evt;
    }

    [Benchmark(OperationsPerInvoke = FramesPerInvoke)]
    public GatewayEvent? DecodeMessageCreateZlibStream()
    {
        using var reader = new GatewayMessageReader(GatewayCompression.ZlibStream, 1024 * 1024);
        GatewayEvent? last = null;
        foreach (var compressed in _compressedFrames)
        {
            reader.Append(compressed, endOfMessage: true);
            var json = reader.Payload.Span;
            GatewayPayloadReader.TryRead(json, 0, out _, out last, out _, out _);
        }

        return last;
    }

    /// <summary>A guild MESSAGE_CREATE as Discord sends it (about 1.3 KB, a 90-character message mentioning the bot).</summary>
    private static string SampleMessageCreate(int sequence) =>
        """{"t":"MESSAGE_CREATE","s":""" + sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) + ""","op":0,"d":{"type":0,"tts":false,"timestamp":"2026-11-21T12:00:00.123000+00:00","referenced_message":null,"pinned":false,"nonce":"1309123456789012480","mentions":[{"username":"Cordial","public_flags":0,"primary_guild":null,"member":{"roles":[],"premium_since":null,"pending":false,"nick":null,"mute":false,"joined_at":"2026-01-01T00:00:00.000000+00:00","flags":0,"deaf":false,"communication_disabled_until":null,"banner":null,"avatar":null},"id":"1300000000000000001","global_name":null,"discriminator":"0000","clan":null,"bot":true,"avatar_decoration_data":null,"avatar":"abcdef0123456789abcdef0123456789"}],"mention_roles":[],"mention_everyone":false,"member":{"roles":["1200000000000000002"],"premium_since":null,"pending":false,"nick":"Al","mute":false,"joined_at":"2025-06-01T10:00:00.000000+00:00","flags":0,"deaf":false,"communication_disabled_until":null,"banner":null,"avatar":null},"id":"1309123456789012481","flags":0,"embeds":[],"edited_timestamp":null,"content":"<@1300000000000000001> can you explain how zlib sync flush works in a couple of sentences?","components":[],"channel_type":0,"channel_id":"1200000000000000010","author":{"username":"alice","public_flags":0,"primary_guild":null,"id":"1100000000000000003","global_name":"Alice","discriminator":"0","clan":null,"avatar_decoration_data":null,"avatar":"0123456789abcdef0123456789abcdef"},"attachments":[],"guild_id":"1200000000000000001"}}""";
}
