using System.Text;
using Cordial.Discord.Gateway;
using FsCheck;
using FsCheck.Fluent;

namespace Cordial.Discord.Tests.Gateway;

public sealed class GatewayMessageReaderTests
{
    private const int Max = 1024 * 1024;

    [Fact]
    public void Plain_frames_assemble_into_one_payload_per_message()
    {
        using var reader = new GatewayMessageReader(GatewayCompression.None, Max);

        Assert.Equal(GatewayReadStatus.NeedMore, reader.Append("{\"op\":"u8, endOfMessage: false));
        Assert.Equal(GatewayReadStatus.Payload, reader.Append("11}"u8, endOfMessage: true));
        Assert.Equal("{\"op\":11}", Encoding.UTF8.GetString(reader.Payload.Span));

        Assert.Equal(GatewayReadStatus.Payload, reader.Append("{\"op\":1}"u8, endOfMessage: true));
        Assert.Equal("{\"op\":1}", Encoding.UTF8.GetString(reader.Payload.Span));
    }

    [Fact]
    public void Zlib_stream_payloads_share_one_context_and_may_span_websocket_messages()
    {
        using var zlib = new ZlibTestStream();
        using var reader = new GatewayMessageReader(GatewayCompression.ZlibStream, Max);
        var first = zlib.Compress("{\"op\":10,\"d\":{\"heartbeat_interval\":41250}}");
        var second = zlib.Compress("{\"op\":11}");

        Assert.Equal(GatewayReadStatus.Payload, reader.Append(first, endOfMessage: true));
        Assert.Contains("heartbeat_interval", Encoding.UTF8.GetString(reader.Payload.Span), StringComparison.Ordinal);

        // The second payload arrives as two complete WebSocket messages: only the one ending in 00 00 FF FF completes it.
        Assert.Equal(GatewayReadStatus.NeedMore, reader.Append(second.AsSpan(0, 3), endOfMessage: true));
        Assert.Equal(GatewayReadStatus.Payload, reader.Append(second.AsSpan(3), endOfMessage: true));
        Assert.Equal("{\"op\":11}", Encoding.UTF8.GetString(reader.Payload.Span));
    }

    [Fact]
    public void A_large_payload_over_many_frames_inflates_exactly()
    {
        using var zlib = new ZlibTestStream();
        using var reader = new GatewayMessageReader(GatewayCompression.ZlibStream, Max);
        var random = new Random(3);
        var text = string.Concat(Enumerable.Range(0, 20_000).Select(_ => (char)random.Next('a', 'z' + 1)));
        var json = "{\"op\":0,\"d\":\"" + text + "\"}";
        var compressed = zlib.Compress(json);

        GatewayReadStatus status = GatewayReadStatus.NeedMore;
        for (var offset = 0; offset < compressed.Length; offset += 1000)
        {
            var end = Math.Min(offset + 1000, compressed.Length);
            status = reader.Append(compressed.AsSpan(offset, end - offset), endOfMessage: end == compressed.Length);
        }

        Assert.Equal(GatewayReadStatus.Payload, status);
        Assert.Equal(json, Encoding.UTF8.GetString(reader.Payload.Span));
    }

    [Fact]
    public void Garbage_breaks_the_zlib_stream_for_good_without_throwing()
    {
        using var reader = new GatewayMessageReader(GatewayCompression.ZlibStream, Max);

        Assert.Equal(GatewayReadStatus.Broken, reader.Append([1, 2, 3, 4, 0, 0, 0xFF, 0xFF], endOfMessage: true));
        Assert.NotNull(reader.Error);

        using var zlib = new ZlibTestStream();
        Assert.Equal(GatewayReadStatus.Broken, reader.Append(zlib.Compress("{\"op\":11}"), endOfMessage: true));
    }

    [Fact]
    public void An_oversized_plain_payload_is_dropped_and_the_next_one_still_reads()
    {
        using var reader = new GatewayMessageReader(GatewayCompression.None, 4096);

        Assert.Equal(GatewayReadStatus.NeedMore, reader.Append(new byte[3000], endOfMessage: false));
        Assert.Equal(GatewayReadStatus.NeedMore, reader.Append(new byte[3000], endOfMessage: false));
        Assert.Equal(GatewayReadStatus.Skipped, reader.Append(new byte[10], endOfMessage: true));
        Assert.Contains("4096", reader.Error, StringComparison.Ordinal);

        Assert.Equal(GatewayReadStatus.Payload, reader.Append("{\"op\":11}"u8, endOfMessage: true));
    }

    [Fact]
    public void An_oversized_zlib_payload_breaks_the_stream()
    {
        using var zlib = new ZlibTestStream();
        using var reader = new GatewayMessageReader(GatewayCompression.ZlibStream, 4096);

        // Compresses well (small on the wire) but inflates past the limit: a zip bomb.
        var bomb = zlib.Compress(new byte[100_000]);

        Assert.Equal(GatewayReadStatus.Broken, reader.Append(bomb, endOfMessage: true));
        Assert.Contains("4096", reader.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Property_zlib_payloads_split_at_any_points_come_out_whole_and_in_order()
    {
        var payloadGen = Gen.Choose(0, 3000).SelectMany(n => Gen.Choose(32, 126).ArrayOf(n))
            .Select(chars => "{\"op\":0,\"d\":" + System.Text.Json.JsonSerializer.Serialize(new string([.. chars.Select(c => (char)c)])) + "}");
        var caseGen = Gen.NonEmptyListOf(payloadGen).SelectMany(payloads => Gen.Choose(1, 700).Select(frame => (payloads, frame)));

        Prop.ForAll(Arb.From(caseGen), c =>
        {
            using var zlib = new ZlibTestStream();
            using var reader = new GatewayMessageReader(GatewayCompression.ZlibStream, Max);
            var decoded = new List<string>();
            foreach (var json in c.payloads)
            {
                var compressed = zlib.Compress(json);
                for (var offset = 0; offset < compressed.Length; offset += c.frame)
                {
                    var end = Math.Min(offset + c.frame, compressed.Length);
                    if (reader.Append(compressed.AsSpan(offset, end - offset), endOfMessage: end == compressed.Length) == GatewayReadStatus.Payload)
                    {
                        decoded.Add(Encoding.UTF8.GetString(reader.Payload.Span));
                    }
                }
            }

            return decoded.SequenceEqual(c.payloads);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Property_garbage_and_truncated_frames_never_throw_and_a_broken_stream_stays_broken()
    {
        var bytes = Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf();
        var flags = Gen.Zip(Gen.Elements(true, false), Gen.Elements(true, false), (end, suffix) => (end, suffix));
        var frame = Gen.Zip(bytes, flags, (data, f) => (Data: f.suffix ? [.. data, 0, 0, 0xFF, 0xFF] : data, End: f.end));
        var framesGen = Gen.NonEmptyListOf(frame).SelectMany(frames => Gen.Elements(GatewayCompression.None, GatewayCompression.ZlibStream).Select(mode => (frames, mode)));

        Prop.ForAll(Arb.From(framesGen), c =>
        {
            using var reader = new GatewayMessageReader(c.mode, 64 * 1024);
            var broken = false;
            foreach (var (data, end) in c.frames)
            {
                var status = reader.Append(data, end);
                if (broken && status != GatewayReadStatus.Broken)
                {
                    return false;
                }

                broken |= status == GatewayReadStatus.Broken;
                if (status is GatewayReadStatus.Skipped or GatewayReadStatus.Broken && string.IsNullOrEmpty(reader.Error))
                {
                    return false;
                }
            }

            return c.mode == GatewayCompression.ZlibStream || !broken;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Property_a_valid_stream_cut_short_never_throws_and_never_invents_a_payload()
    {
        var gen = Gen.Choose(1, 400).SelectMany(n => Gen.Choose(1, 100).Select(p => (n, percent: p)));

        Prop.ForAll(Arb.From(gen), c =>
        {
            using var zlib = new ZlibTestStream();
            using var reader = new GatewayMessageReader(GatewayCompression.ZlibStream, Max);
            var compressed = zlib.Compress("{\"op\":0,\"d\":\"" + new string('q', c.n) + "\"}");
            var cut = Math.Max(0, (compressed.Length * c.percent / 100) - 4);
            var status = reader.Append(compressed.AsSpan(0, cut), endOfMessage: true);
            return status != GatewayReadStatus.Payload;
        }).QuickCheckThrowOnFailure();
    }
}
