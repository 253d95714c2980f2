using System.Text;
using System.Text.Json;
using Cordial.Discord.Gateway;
using FsCheck;
using FsCheck.Fluent;

namespace Cordial.Discord.Tests.Gateway;

public sealed class GatewayPayloadReaderTests
{
    [Fact]
    public void Reads_the_envelope_in_any_property_order_and_locates_d_exactly()
    {
        var json = """{"d":{"id":"1","content":"hi {\"op\":9}"},"t":"MESSAGE_CREATE","x":[1,{"y":2}],"s":42,"op":0}"""u8.ToArray();

        Assert.True(GatewayPayloadReader.TryRead(json, out var payload, out var error), error);

        Assert.Equal(0, payload.OpCode);
        Assert.Equal(42, payload.Sequence);
        Assert.Equal(GatewayDispatchType.MessageCreate, payload.Dispatch);
        Assert.Equal("""{"id":"1","content":"hi {\"op\":9}"}""", Encoding.UTF8.GetString(payload.Data(json)));
        Assert.Equal("MESSAGE_CREATE", payload.Name(json));
    }

    [Theory]
    [InlineData("""{"op":11}""", 11, null)]
    [InlineData("""{"op":1,"d":null,"s":null,"t":null}""", 1, "null")]
    [InlineData("""{"op":9,"d":false}""", 9, "false")]
    [InlineData("""{"t":null,"s":null,"op":10,"d":{"heartbeat_interval":41250}}""", 10, """{"heartbeat_interval":41250}""")]
    public void Reads_control_payloads(string json, int op, string? data)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        Assert.True(GatewayPayloadReader.TryRead(bytes, out var payload, out _));
        Assert.Equal(op, payload.OpCode);
        Assert.Null(payload.Sequence);
        Assert.Equal(data ?? "", Encoding.UTF8.GetString(payload.Data(bytes)));
    }

    [Fact]
    public void Unknown_event_names_are_classified_as_unknown()
    {
        var json = """{"op":0,"s":3,"t":"PRESENCE_UPDATE","d":{}}"""u8.ToArray();
        Assert.True(GatewayPayloadReader.TryRead(json, out var payload, out _));
        Assert.Equal(GatewayDispatchType.Unknown, payload.Dispatch);
        Assert.Equal("PRESENCE_UPDATE", payload.Name(json));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{")]
    [InlineData("""{"d":1}""")]
    [InlineData("""{"op":"ten"}""")]
    [InlineData("""{"op":0,"s":1,"d":{}}""")]
    [InlineData("""{"op":0,"s":"x","t":"READY","d":{}}""")]
    [InlineData("""{"op":1} trailing""")]
    [InlineData("""{"op":1,"d":{"a":[1,2}}""")]
    public void Rejects_malformed_payloads_with_a_reason(string json)
    {
        Assert.False(GatewayPayloadReader.TryRead(Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Property_arbitrary_bytes_never_throw()
    {
        var bytes = Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf();
        Prop.ForAll(Arb.From(bytes), data =>
        {
            var ok = GatewayPayloadReader.TryRead(data, out var payload, out var error);
            return ok ? payload.DataStart + payload.DataLength <= data.Length : !string.IsNullOrEmpty(error);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Property_truncating_or_corrupting_a_real_dispatch_never_throws()
    {
        var frame = Encoding.UTF8.GetBytes(GatewayFrames.MessageCreate(7, 123, 456, "hello there"));
        var gen = Gen.Zip(Gen.Choose(0, frame.Length), Gen.Zip(Gen.Choose(0, frame.Length - 1), Gen.Choose(0, 255), (at, value) => (at, value)), (cut, edit) => (Item1: cut, Item2: edit.at, Item3: edit.value));

        Prop.ForAll(Arb.From(gen), c =>
        {
            var data = frame[..c.Item1];
            if (data.Length > 0)
            {
                data[c.Item2 % data.Length] = (byte)c.Item3;
            }

            if (GatewayPayloadReader.TryRead(data, out var payload, out _) && payload.Dispatch == GatewayDispatchType.MessageCreate)
            {
                try
                {
                    _ = GatewayEventParser.Parse(payload.Dispatch, 0, payload.Data(data));
                }
                catch (JsonException)
                {
                    // The shard catches exactly this and counts a malformed frame.
                }
            }

            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Known_dispatches_become_typed_events()
    {
        var json = Encoding.UTF8.GetBytes(GatewayFrames.MessageCreate(5, 111, 222, "hello"));
        Assert.True(GatewayPayloadReader.TryRead(json, out var payload, out _));

        var evt = Assert.IsType<MessageCreateEvent>(GatewayEventParser.Parse(payload.Dispatch, 3, payload.Data(json)));

        Assert.Equal(3, evt.ShardId);
        Assert.Equal(111UL, evt.Message.Id);
        Assert.Equal(222UL, evt.Message.ChannelId);
        Assert.Equal("hello", evt.Message.Content);
        Assert.Equal("Nelly", evt.Message.Author?.Username);
    }

    [Theory]
    [InlineData("GUILD_CREATE", """{"id":"1","name":"g","channels":[{"id":"2","type":0}]}""", typeof(GuildCreateEvent))]
    [InlineData("CHANNEL_CREATE", """{"id":"2","type":0}""", typeof(ChannelCreateEvent))]
    [InlineData("CHANNEL_UPDATE", """{"id":"2","type":0}""", typeof(ChannelUpdateEvent))]
    [InlineData("CHANNEL_DELETE", """{"id":"2","type":0}""", typeof(ChannelDeleteEvent))]
    [InlineData("THREAD_CREATE", """{"id":"3","type":11,"parent_id":"2"}""", typeof(ThreadCreateEvent))]
    [InlineData("THREAD_UPDATE", """{"id":"3","type":11}""", typeof(ThreadUpdateEvent))]
    [InlineData("MESSAGE_UPDATE", """{"id":"4","channel_id":"2"}""", typeof(MessageUpdateEvent))]
    [InlineData("MESSAGE_DELETE", """{"id":"4","channel_id":"2"}""", typeof(MessageDeleteEvent))]
    [InlineData("INTERACTION_CREATE", """{"id":"5","application_id":"6","type":2,"token":"t"}""", typeof(InteractionCreateEvent))]
    [InlineData("VOICE_STATE_UPDATE", """{"user_id":"7","session_id":"s"}""", typeof(VoiceStateUpdateEvent))]
    [InlineData("VOICE_SERVER_UPDATE", """{"token":"x","guild_id":"1","endpoint":"e"}""", typeof(VoiceServerUpdateEvent))]
    [InlineData("READY", """{"v":10,"user":{"id":"9","username":"bot"},"guilds":[],"session_id":"abc","resume_gateway_url":"wss://x"}""", typeof(ReadyEvent))]
    [InlineData("RESUMED", "null", typeof(ResumedEvent))]
    [InlineData("RESUMED", """{"_trace":["x"]}""", typeof(ResumedEvent))]
    public void Every_handled_dispatch_has_its_event_type(string name, string data, Type expected)
    {
        var json = Encoding.UTF8.GetBytes("""{"op":0,"s":1,"t":""" + "\"" + name + "\"" + ""","d":""" + data + ""","x":1}""");
        Assert.True(GatewayPayloadReader.TryRead(json, out var payload, out _));

        var evt = GatewayEventParser.Parse(payload.Dispatch, 0, payload.Data(json));

        Assert.IsType(expected, evt);
        Assert.True(GatewayPayloadReader.TryRead(json, 0, out var singlePass, out var single, out var dataError, out var error), error);
        Assert.Null(dataError);
        Assert.IsType(expected, single);
        Assert.Equal(1, singlePass.Sequence);
    }

    [Fact]
    public void A_single_pass_read_gives_the_same_event_as_the_two_pass_read()
    {
        var json = Encoding.UTF8.GetBytes(GatewayFrames.MessageCreate(9, 123, 456, "single pass"));

        Assert.True(GatewayPayloadReader.TryRead(json, 4, out var payload, out var evt, out var dataError, out _));

        Assert.Null(dataError);
        var single = Assert.IsType<MessageCreateEvent>(evt);
        var twoPass = Assert.IsType<MessageCreateEvent>(GatewayEventParser.Parse(payload.Dispatch, 4, payload.Data(json)));
        Assert.Equal(twoPass.ShardId, single.ShardId);
        Assert.Equal(twoPass.Message.Id, single.Message.Id);
        Assert.Equal(twoPass.Message.Content, single.Message.Content);
        Assert.Equal(twoPass.Message.Author?.Id, single.Message.Author?.Id);
        Assert.Equal(twoPass.Message.Timestamp, single.Message.Timestamp);
        Assert.Equal(9, payload.Sequence);
    }

    [Fact]
    public void When_the_event_name_follows_d_the_data_is_only_located()
    {
        var json = """{"op":0,"d":{"id":"1","channel_id":"2"},"s":3,"t":"MESSAGE_DELETE"}"""u8.ToArray();

        Assert.True(GatewayPayloadReader.TryRead(json, 0, out var payload, out var evt, out var dataError, out _));

        Assert.Null(evt);
        Assert.Null(dataError);
        Assert.IsType<MessageDeleteEvent>(GatewayEventParser.Parse(payload.Dispatch, 0, payload.Data(json)));
    }

    [Fact]
    public void Bad_data_is_reported_while_the_rest_of_the_envelope_is_still_read()
    {
        var json = """{"t":"MESSAGE_CREATE","op":0,"d":{"id":"not-a-number","content":"x"},"s":17}"""u8.ToArray();

        Assert.True(GatewayPayloadReader.TryRead(json, 0, out var payload, out var evt, out var dataError, out _));

        Assert.Null(evt);
        Assert.NotNull(dataError);
        Assert.Equal(17, payload.Sequence);
        Assert.DoesNotContain("not-a-number", dataError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dispatch_with_null_data_is_malformed()
    {
        var json = """{"op":0,"s":1,"t":"MESSAGE_CREATE","d":null}"""u8.ToArray();
        Assert.True(GatewayPayloadReader.TryRead(json, out var payload, out _));

        Assert.Throws<JsonException>(() => GatewayEventParser.Parse(payload.Dispatch, 0, payload.Data(json)));
    }
}
