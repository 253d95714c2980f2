using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Cordial.Discord.Gateway;
using Cordial.Discord.Models;

namespace Cordial.Discord.Tests.Gateway;

/// <summary>The client against a scripted gateway on 127.0.0.1: protocol steps the emulator cannot misbehave in.</summary>
public sealed class GatewayClientTests
{
    [Fact]
    public async Task Identifies_delivers_dispatches_and_heartbeats_with_the_last_sequence()
    {
        await using var server = await FakeGatewayServer.StartAsync();
        await using var client = GatewayTestClient.Create(server.GatewayUri, intents: GatewayIntents.Guilds | GatewayIntents.MessageContent);
        await client.StartAsync(TestContext.Current.CancellationToken);

        var connection = await server.NextConnectionAsync();
        Assert.StartsWith("/gateway?v=10&encoding=json", connection.PathAndQuery, StringComparison.Ordinal);
        await connection.SendAsync(GatewayFrames.Hello(30_000));
        var identify = (await connection.ReceiveOpAsync(2)).GetProperty("d");
        Assert.Equal(GatewayTestClient.Token, identify.GetProperty("token").GetString());
        Assert.Equal((int)(GatewayIntents.Guilds | GatewayIntents.MessageContent), identify.GetProperty("intents").GetInt32());
        Assert.Equal([0, 1], identify.GetProperty("shard").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("Cordial", identify.GetProperty("properties").GetProperty("browser").GetString());
        Assert.Equal(50, identify.GetProperty("large_threshold").GetInt32());

        await connection.SendAsync(GatewayFrames.Ready(1, "s-1", server.GatewayUri.AbsoluteUri));
        var beforeSend = TimeProvider.System.GetTimestamp();
        await connection.SendAsync(GatewayFrames.MessageCreate(2, 11, 22, "hello"));

        var ready = await client.Events.NextAsync<ReadyEvent>();
        Assert.Equal("s-1", ready.Ready.SessionId);
        var message = await client.Events.NextAsync<MessageCreateEvent>();
        Assert.Equal("hello", message.Message.Content);
        Assert.InRange(message.ReceivedTimestamp, beforeSend, TimeProvider.System.GetTimestamp()); // stamped when its frame was read

        await connection.SendAsync("""{"op":1,"d":null}""");
        await ExpectHeartbeatWithSequenceAsync(connection, 2);

        var status = Assert.Single(client.GetShardStatuses());
        Assert.Equal(GatewayConnectionState.Ready, status.State);
        Assert.Equal(1, status.Identifies);
        Assert.Equal(0, status.Reconnects);
    }

    [Fact]
    public async Task Malformed_frames_and_unknown_events_are_counted_and_survived()
    {
        await using var server = await FakeGatewayServer.StartAsync();
        await using var client = GatewayTestClient.Create(server.GatewayUri);
        await client.StartAsync(TestContext.Current.CancellationToken);
        var (connection, _) = await server.NextSessionAsync(1);

        await connection.SendAsync("this is not json");
        await connection.SendAsync("""{"op":0,"t":"MESSAGE_CREATE","s":2,"d":{"id":"not-a-snowflake"}}""");
        await connection.SendAsync("""{"op":0,"t":"PRESENCE_UPDATE","s":3,"d":{}}""");
        await connection.SendBytesAsync([0xFF, 0xFE, 0x00, 0x01], WebSocketMessageType.Binary);
        await connection.SendAsync("""{"op":0,"t":"MESSAGE_CREATE","s":4,"d":""");
        await connection.SendAsync(GatewayFrames.MessageCreate(5, 1, 2, "still alive"));

        var message = await client.Events.NextAsync<MessageCreateEvent>();
        Assert.Equal("still alive", message.Message.Content);

        var status = Assert.Single(client.GetShardStatuses());
        Assert.Equal(4, status.MalformedFrames);
        Assert.Equal(1, status.UnknownEvents);
        Assert.Equal(0, status.Reconnects);

        await connection.SendAsync("""{"op":1,"d":null}""");
        await ExpectHeartbeatWithSequenceAsync(connection, 5);
    }

    [Fact]
    public async Task A_broken_zlib_stream_reconnects_and_resumes_where_it_stopped()
    {
        await using var server = await FakeGatewayServer.StartAsync();
        await using var client = GatewayTestClient.Create(server.GatewayUri, GatewayCompression.ZlibStream);
        await client.StartAsync(TestContext.Current.CancellationToken);
        var (first, _) = await server.NextSessionAsync(1, "zz");
        Assert.Contains("compress=zlib-stream", first.PathAndQuery, StringComparison.Ordinal);
        await first.SendAsync(GatewayFrames.MessageCreate(2, 1, 2, "before"));
        Assert.Equal("before", (await client.Events.NextAsync<MessageCreateEvent>()).Message.Content);

        await first.SendBytesAsync([1, 2, 3, 4, 0, 0, 0xFF, 0xFF], WebSocketMessageType.Binary);

        var (second, handshake) = await server.NextSessionAsync(3);
        Assert.Equal(6, handshake.GetProperty("op").GetInt32());
        Assert.Equal("zz", handshake.GetProperty("d").GetProperty("session_id").GetString());
        Assert.Equal(2, handshake.GetProperty("d").GetProperty("seq").GetInt32());
        Assert.Equal(GatewayTestClient.Token, handshake.GetProperty("d").GetProperty("token").GetString());
        await client.Events.NextAsync<ResumedEvent>();
        await second.SendAsync(GatewayFrames.MessageCreate(4, 3, 2, "after"));
        Assert.Equal("after", (await client.Events.NextAsync<MessageCreateEvent>()).Message.Content);

        var status = Assert.Single(client.GetShardStatuses());
        Assert.Equal(1, status.Resumes);
        Assert.Equal(1, status.MalformedFrames);
        Assert.Equal(1, status.Identifies);
    }

    [Fact]
    public async Task Zlib_stream_carries_hundreds_of_payloads_split_over_many_frames()
    {
        await using var server = await FakeGatewayServer.StartAsync();
        await using var client = GatewayTestClient.Create(server.GatewayUri, GatewayCompression.ZlibStream);
        await client.StartAsync(TestContext.Current.CancellationToken);
        var (connection, _) = await server.NextSessionAsync(1);
        var random = new Random(11);
        var expected = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            var content = i % 50 == 0 ? new string((char)('a' + (i % 26)), 100_000) : $"message {i} " + new string('x', random.Next(0, 500));
            expected.Add(content);
            await connection.SendAsync(GatewayFrames.MessageCreate(2 + i, (ulong)(100 + i), 2, content), frameSize: random.Next(1, 2000));
        }

        foreach (var content in expected)
        {
            Assert.Equal(content, (await client.Events.NextAsync<MessageCreateEvent>()).Message.Content);
        }

        Assert.Equal(0, Assert.Single(client.GetShardStatuses()).MalformedFrames);
    }

    [Fact]
    public async Task A_slow_consumer_makes_the_read_loop_wait_and_nothing_is_lost()
    {
        await using var server = await FakeGatewayServer.StartAsync();
        await using var client = GatewayTestClient.Create(server.GatewayUri, eventQueueCapacity: 2);
        await client.StartAsync(TestContext.Current.CancellationToken);
        var (connection, _) = await server.NextSessionAsync(1);
        await client.Events.NextAsync<ReadyEvent>();

        for (var i = 0; i < 100; i++)
        {
            await connection.SendAsync(GatewayFrames.MessageCreate(2 + i, (ulong)(10 + i), 2, $"m{i}"));
        }

        await Eventually.UntilAsync(() => client.Events.Count == 2, "the bounded queue to fill");
        for (var i = 0; i < 100; i++)
        {
            Assert.True(client.Events.Count <= 2);
            Assert.Equal($"m{i}", (await client.Events.NextAsync<MessageCreateEvent>()).Message.Content);
        }

        Assert.Equal(0, Assert.Single(client.GetShardStatuses()).Reconnects);
    }

    public static TheoryData<int> FatalCodes => [4004, 4010, 4011, 4012, 4013, 4014];

    [Theory]
    [MemberData(nameof(FatalCodes))]
    public async Task Fatal_close_codes_stop_the_client_with_a_message_a_person_understands(int code)
    {
        await using var server = await FakeGatewayServer.StartAsync();
        await using var client = GatewayTestClient.Create(server.GatewayUri);
        await client.StartAsync(TestContext.Current.CancellationToken);
        var (connection, _) = await server.NextSessionAsync(1);

        await connection.CloseAsync(code);

        var ex = await Assert.ThrowsAsync<GatewayFatalException>(async () =>
        {
            await foreach (var _ in client.Events.ReadAllAsync(TestContext.Current.CancellationToken))
            {
            }
        });
        Assert.Equal(code, ex.CloseCode);
        Assert.Equal(GatewayCloseCodes.DescribeFatal(code), ex.Message);
        Assert.Contains($"close {code}", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<GatewayFatalException>(() => client.Completion);
        var status = Assert.Single(client.GetShardStatuses());
        Assert.Equal(GatewayConnectionState.Failed, status.State);
        Assert.Equal(ex.Message, status.FatalError);
        Assert.Equal(code, status.LastCloseCode);
    }

    [Theory]
    [InlineData(4007, 2)]
    [InlineData(4009, 2)]
    [InlineData(4000, 6)]
    [InlineData(4008, 6)]
    [InlineData(1001, 6)]
    public async Task Other_close_codes_reconnect_with_a_resume_or_a_fresh_identify(int code, int expectedOp)
    {
        await using var server = await FakeGatewayServer.StartAsync();
        await using var client = GatewayTestClient.Create(server.GatewayUri);
        await client.StartAsync(TestContext.Current.CancellationToken);
        var (first, _) = await server.NextSessionAsync(1);
        await first.SendAsync(GatewayFrames.MessageCreate(2, 1, 2, "one"));
        await client.Events.NextAsync<MessageCreateEvent>();

        await first.CloseAsync(code);

        var (_, handshake) = await server.NextSessionAsync(1);
        Assert.Equal(expectedOp, handshake.GetProperty("op").GetInt32());
        if (expectedOp == 6)
        {
            await client.Events.NextAsync<ResumedEvent>();
        }
        else
        {
            await client.Events.NextAsync<ReadyEvent>();
        }

        var status = Assert.Single(client.GetShardStatuses());
        Assert.Equal(1, status.Reconnects);
        Assert.Equal(code, status.LastCloseCode);
        Assert.Equal(GatewayConnectionState.Ready, status.State);
    }

    [Fact]
    public async Task Reconnect_op7_resumes_at_the_resume_url_keeping_its_query_and_closes_without_ending_the_session()
    {
        await using var server = await FakeGatewayServer.StartAsync();
        await using var client = GatewayTestClient.Create(server.GatewayUri);
        await client.StartAsync(TestContext.Current.CancellationToken);
        var resumeUrl = new Uri(server.GatewayUri, "/resume-here?region=x&v=6").AbsoluteUri;
        var (first, _) = await server.NextSessionAsync(1, "abc", resumeUrl);
        await client.Events.NextAsync<ReadyEvent>();

        await first.SendAsync("""{"op":7,"d":null}""");

        var second = await server.NextConnectionAsync();
        Assert.Equal("/resume-here?region=x&v=10&encoding=json", second.PathAndQuery);
        await second.SendAsync(GatewayFrames.Hello(30_000));
        var resume = await second.ReceiveOpAsync(6);
        Assert.Equal("abc", resume.GetProperty("d").GetProperty("session_id").GetString());
        Assert.Equal(1, resume.GetProperty("d").GetProperty("seq").GetInt32());

        await first.Closed.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.NotEqual(WebSocketCloseStatus.NormalClosure, first.ClientCloseStatus);
    }

    [Theory]
    [InlineData(true, 6)]
    [InlineData(false, 2)]
    public async Task Invalid_session_resumes_when_resumable_and_identifies_afresh_otherwise(bool resumable, int expectedOp)
    {
        await using var server = await FakeGatewayServer.StartAsync();
        await using var client = GatewayTestClient.Create(server.GatewayUri);
        await client.StartAsync(TestContext.Current.CancellationToken);
        var (first, _) = await server.NextSessionAsync(1);
        await first.SendAsync(GatewayFrames.MessageCreate(2, 1, 2, "one"));
        await client.Events.NextAsync<MessageCreateEvent>();

        await first.SendAsync($$"""{"op":9,"d":{{(resumable ? "true" : "false")}}}""");

        var (_, handshake) = await server.NextSessionAsync(3, "s-2");
        Assert.Equal(expectedOp, handshake.GetProperty("op").GetInt32());
        var status = Assert.Single(client.GetShardStatuses());
        Assert.Equal(expectedOp == 2 ? 2 : 1, status.Identifies);
        if (expectedOp == 2)
        {
            Assert.Equal("s-2", (await client.Events.NextAsync<ReadyEvent>()).Ready.SessionId);
        }
    }

    [Fact]
    public async Task A_zombie_connection_without_heartbeat_acks_is_replaced_and_resumed()
    {
        await using var server = await FakeGatewayServer.StartAsync();
        await using var client = GatewayTestClient.Create(server.GatewayUri);
        await client.StartAsync(TestContext.Current.CancellationToken);
        var first = await server.NextConnectionAsync();
        await first.SendAsync(GatewayFrames.Hello(300));
        await first.ReceiveOpAsync(2);
        await first.SendAsync(GatewayFrames.Ready(1, "zombie-session", server.GatewayUri.AbsoluteUri));
        await first.SendAsync(GatewayFrames.MessageCreate(2, 1, 2, "one"));
        await client.Events.NextAsync<MessageCreateEvent>();

        // Only now the connection turns zombie: on a loaded machine the client could otherwise give up on it before
        // it has read READY and the message (and then rightly IDENTIFY, or resume from an earlier sequence).
        first.AcknowledgeHeartbeats = false;

        var (_, handshake) = await server.NextSessionAsync(3);

        Assert.Equal(6, handshake.GetProperty("op").GetInt32());
        Assert.Equal("zombie-session", handshake.GetProperty("d").GetProperty("session_id").GetString());
        Assert.Equal(2, handshake.GetProperty("d").GetProperty("seq").GetInt32());
        Assert.True(first.Heartbeats >= 1);
        await client.Events.NextAsync<ResumedEvent>();
    }

    [Fact]
    public async Task Shards_come_from_gateway_bot_and_each_identifies_with_its_id()
    {
        await using var server = await FakeGatewayServer.StartAsync();
        var calls = 0;
        await using var client = GatewayTestClient.Create(
            gateway: null,
            shardCount: null,
            getGatewayBot: _ =>
            {
                Interlocked.Increment(ref calls);
                return Task.FromResult(new JsonGatewayBot { Url = server.GatewayUri.AbsoluteUri, Shards = 2, SessionStartLimit = new JsonSessionStartLimit { MaxConcurrency = 1 } });
            });
        await client.StartAsync(TestContext.Current.CancellationToken);

        var shards = new List<int>();
        for (var i = 0; i < 2; i++)
        {
            var (_, identify) = await server.NextSessionAsync(1, $"s{i}");
            var shard = identify.GetProperty("d").GetProperty("shard");
            shards.Add(shard[0].GetInt32());
            Assert.Equal(2, shard[1].GetInt32());
        }

        Assert.Equal([0, 1], shards.Order());
        Assert.Equal(2, client.ShardCount);
        Assert.Equal(1, calls);
        Assert.Equal(2, client.GetShardStatuses().Count);
    }

    [Fact]
    public async Task A_failed_gateway_bot_lookup_without_a_configured_shard_count_fails_start_and_may_be_retried()
    {
        await using var server = await FakeGatewayServer.StartAsync();
        var attempts = 0;
        await using var client = GatewayTestClient.Create(
            gateway: server.GatewayUri,
            shardCount: null,
            getGatewayBot: _ => ++attempts == 1
                ? throw new HttpRequestException("Discord is down")
                : Task.FromResult(new JsonGatewayBot { Shards = 1 }));

        await Assert.ThrowsAsync<HttpRequestException>(() => client.StartAsync(TestContext.Current.CancellationToken));
        Assert.Empty(client.GetShardStatuses());

        await client.StartAsync(TestContext.Current.CancellationToken);
        await server.NextSessionAsync(1);
        await client.Events.NextAsync<ReadyEvent>();
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.StartAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Presence_updates_are_sent_and_protocol_opcodes_are_refused()
    {
        await using var server = await FakeGatewayServer.StartAsync();
        await using var client = GatewayTestClient.Create(server.GatewayUri);
        await client.StartAsync(TestContext.Current.CancellationToken);
        var (connection, _) = await server.NextSessionAsync(1);
        await client.Events.NextAsync<ReadyEvent>();

        await client.UpdatePresenceAsync(new GatewayPresence { Status = "idle", ActivityName = "answering", ActivityType = 4 }, TestContext.Current.CancellationToken);

        var presence = (await connection.ReceiveOpAsync(3)).GetProperty("d");
        Assert.Equal("idle", presence.GetProperty("status").GetString());
        Assert.Equal("answering", presence.GetProperty("activities")[0].GetProperty("state").GetString());

        await Assert.ThrowsAsync<ArgumentException>(() => client.SendAsync(0, GatewayOpCode.Identify, "{}"u8.ToArray(), TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentException>(() => client.SendAsync(0, GatewayOpCode.PresenceUpdate, "{not json"u8.ToArray(), TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.SendAsync(5, GatewayOpCode.PresenceUpdate, "{}"u8.ToArray(), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Stopping_closes_normally_and_completes_the_events()
    {
        await using var server = await FakeGatewayServer.StartAsync();
        var client = GatewayTestClient.Create(server.GatewayUri);
        await client.StartAsync(TestContext.Current.CancellationToken);
        var (connection, _) = await server.NextSessionAsync(1);
        await client.Events.NextAsync<ReadyEvent>();

        await client.DisposeAsync();

        await connection.Closed.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, connection.ClientCloseStatus);
        Assert.False(await client.Events.WaitToReadAsync(TestContext.Current.CancellationToken));
        Assert.Equal(GatewayConnectionState.Stopped, Assert.Single(client.GetShardStatuses()).State);
        await client.Completion;
    }

    private static async Task ExpectHeartbeatWithSequenceAsync(FakeGatewayConnection connection, int sequence)
    {
        while (true)
        {
            var beat = await connection.ReceiveOpAsync(1);
            if (beat.GetProperty("d").ValueKind == JsonValueKind.Number && beat.GetProperty("d").GetInt32() == sequence)
            {
                return;
            }
        }
    }
}
