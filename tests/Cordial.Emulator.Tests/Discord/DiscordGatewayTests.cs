using System.Text.Json.Nodes;
using Cordial.Emulator.Discord;

namespace Cordial.Emulator.Tests.Discord;

public sealed class DiscordGatewayTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Identify_gets_hello_ready_and_one_guild_create_per_guild()
    {
        await using var world = await EmulatorWorld.StartAsync(o => o.HeartbeatInterval = TimeSpan.FromMilliseconds(12345));
        var role = world.Emulator.CreateRole(world.Guild.Id, "mods", 8);
        world.Emulator.AddMember(world.Guild.Id, world.Human.Id, role.Id);
        await using var client = await world.ConnectAsync();

        var hello = await client.WaitForOpAsync(10);
        Assert.Equal(12345, (int)hello["d"]!["heartbeat_interval"]!);
        await client.SendAsync(new JsonObject { ["op"] = 2, ["d"] = new JsonObject { ["token"] = world.Bot.Token, ["intents"] = EmulatorWorld.DefaultIntents, ["properties"] = new JsonObject() } });

        var ready = await client.WaitForDispatchAsync("READY");
        var d = ready["d"]!;
        Assert.Equal(10, (int)d["v"]!);
        Assert.Equal(world.Bot.User.Id.ToString(), (string?)d["user"]!["id"]);
        Assert.Equal(world.Bot.ApplicationId.ToString(), (string?)d["application"]!["id"]);
        Assert.Equal(world.Host.GatewayAddress.ToString(), (string?)d["resume_gateway_url"]);
        Assert.False(string.IsNullOrEmpty((string?)d["session_id"]));
        Assert.True((bool)d["guilds"]![0]!["unavailable"]!);
        Assert.Equal(1, (int)ready["s"]!);

        var guildCreate = await client.WaitForDispatchAsync("GUILD_CREATE");
        Assert.Equal(2, (int)guildCreate["s"]!);
        var guild = guildCreate["d"]!;
        Assert.Equal(world.Guild.Id.ToString(), (string?)guild["id"]);
        Assert.Equal(world.Channel.Id.ToString(), (string?)guild["channels"]![0]!["id"]);
        Assert.Contains(guild["roles"]!.AsArray(), r => (string?)r!["name"] == "mods");
        Assert.Equal(2, (int)guild["member_count"]!);
        var member = guild["members"]!.AsArray().Single(m => (string?)m!["user"]!["id"] == world.Human.Id.ToString());
        Assert.Equal(role.Id.ToString(), (string?)member!["roles"]![0]);

        await client.SendAsync("""{"op":1,"d":2}""");
        await client.WaitForOpAsync(11);
        Assert.Equal(1, world.Emulator.GetStats(world.Bot.User.Id).Identifies);
        Assert.Equal(1, world.Emulator.GetStats(world.Bot.User.Id).GatewayConnections);
    }

    [Fact]
    public async Task Message_create_is_dispatched_with_author_member_mentions_and_guild()
    {
        await using var world = await EmulatorWorld.StartAsync();
        await using var client = await world.ConnectAsync();
        await client.IdentifyAsync(world.Bot.Token, EmulatorWorld.DefaultIntents);
        await client.WaitForDispatchAsync("GUILD_CREATE");

        var posted = await world.Emulator.PostMessageAsync(world.Channel.Id, world.Human.Id, $"hi <@{world.Bot.User.Id}>", cancellationToken: Ct);
        var dispatch = (await client.WaitForDispatchAsync("MESSAGE_CREATE"))["d"]!;
        Assert.Equal(posted.Id.ToString(), (string?)dispatch["id"]);
        Assert.Equal($"hi <@{world.Bot.User.Id}>", (string?)dispatch["content"]);
        Assert.Equal(world.Guild.Id.ToString(), (string?)dispatch["guild_id"]);
        Assert.Equal(0, (int)dispatch["channel_type"]!);
        Assert.Equal("alice", (string?)dispatch["author"]!["username"]);
        Assert.Null(dispatch["author"]!["bot"]);
        Assert.NotNull(dispatch["member"]!["joined_at"]);
        var mention = dispatch["mentions"]![0]!;
        Assert.Equal(world.Bot.User.Id.ToString(), (string?)mention["id"]);
        Assert.NotNull(mention["member"]);

        // the bot's own REST message comes back to it too
        await world.SendMessageAsync("from the bot");
        var own = (await client.WaitForDispatchAsync("MESSAGE_CREATE"))["d"]!;
        Assert.Equal("from the bot", (string?)own["content"]);
        Assert.True((bool)own["author"]!["bot"]!);

        var reply = await world.Emulator.PostMessageAsync(world.Channel.Id, world.Human.Id, "a reply",
            new PostMessageOptions { ReplyToMessageId = posted.Id }, Ct);
        var replyDispatch = (await client.WaitForDispatchAsync("MESSAGE_CREATE"))["d"]!;
        Assert.Equal(reply.Id.ToString(), (string?)replyDispatch["id"]);
        Assert.Equal(posted.Id.ToString(), (string?)replyDispatch["message_reference"]!["message_id"]);
        Assert.Equal(posted.Id.ToString(), (string?)replyDispatch["referenced_message"]!["id"]);
    }

    [Fact]
    public async Task Without_message_content_intent_content_is_empty_except_mentions_own_and_dms()
    {
        await using var world = await EmulatorWorld.StartAsync();
        await using var client = await world.ConnectAsync();
        await client.IdentifyAsync(world.Bot.Token, 1 | (1 << 9) | (1 << 12));
        await client.WaitForDispatchAsync("GUILD_CREATE");

        await world.Emulator.PostMessageAsync(world.Channel.Id, world.Human.Id, "secret", cancellationToken: Ct);
        Assert.Equal("", (string?)(await client.WaitForDispatchAsync("MESSAGE_CREATE"))["d"]!["content"]);

        await world.Emulator.PostMessageAsync(world.Channel.Id, world.Human.Id, $"<@{world.Bot.User.Id}> visible", cancellationToken: Ct);
        Assert.Equal($"<@{world.Bot.User.Id}> visible", (string?)(await client.WaitForDispatchAsync("MESSAGE_CREATE"))["d"]!["content"]);

        var dm = world.Emulator.OpenDirectMessage(world.Human.Id, world.Bot.User.Id);
        await world.Emulator.PostMessageAsync(dm.Id, world.Human.Id, "private words", cancellationToken: Ct);
        var dmDispatch = (await client.WaitForDispatchAsync("MESSAGE_CREATE"))["d"]!;
        Assert.Equal("private words", (string?)dmDispatch["content"]);
        Assert.Null(dmDispatch["guild_id"]);
        Assert.Equal(1, (int)dmDispatch["channel_type"]!);

        await world.SendMessageAsync("mine");
        Assert.Equal("mine", (string?)(await client.WaitForDispatchAsync("MESSAGE_CREATE"))["d"]!["content"]);
    }

    [Fact]
    public async Task Without_guild_messages_intent_only_dms_arrive()
    {
        await using var world = await EmulatorWorld.StartAsync();
        await using var client = await world.ConnectAsync();
        await client.IdentifyAsync(world.Bot.Token, 1 | (1 << 12) | (1 << 15));
        await client.WaitForDispatchAsync("GUILD_CREATE");
        await world.Emulator.PostMessageAsync(world.Channel.Id, world.Human.Id, "guild text", cancellationToken: Ct);
        var dm = world.Emulator.OpenDirectMessage(world.Human.Id, world.Bot.User.Id);
        await world.Emulator.PostMessageAsync(dm.Id, world.Human.Id, "dm text", cancellationToken: Ct);
        var first = (await client.WaitForDispatchAsync("MESSAGE_CREATE"))["d"]!;
        Assert.Equal("dm text", (string?)first["content"]);
    }

    [Fact]
    public async Task Resume_replays_exactly_the_missed_dispatches_then_resumed()
    {
        await using var world = await EmulatorWorld.StartAsync();
        var first = await world.ConnectAsync();
        var ready = await first.IdentifyAsync(world.Bot.Token, EmulatorWorld.DefaultIntents);
        await first.WaitForDispatchAsync("GUILD_CREATE");
        await world.Emulator.PostMessageAsync(world.Channel.Id, world.Human.Id, "seen", cancellationToken: Ct);
        await first.WaitForDispatchAsync("MESSAGE_CREATE");
        var seen = first.LastSequence;

        world.Emulator.Faults.DropConnections();
        Assert.Null(await first.WaitForCloseAsync());
        await first.DisposeAsync();

        List<ulong> missed = [];
        for (var i = 0; i < 3; i++)
        {
            missed.Add((await world.Emulator.PostMessageAsync(world.Channel.Id, world.Human.Id, "missed " + i, cancellationToken: Ct)).Id);
        }

        await using var second = await world.ConnectAsync();
        await second.WaitForOpAsync(10);
        await second.SendAsync(new JsonObject
        {
            ["op"] = 6,
            ["d"] = new JsonObject { ["token"] = world.Bot.Token, ["session_id"] = ready["session_id"]!.DeepClone(), ["seq"] = seen },
        });
        await second.WaitForDispatchAsync("RESUMED");
        var replayed = second.Dispatches.Where(p => (string?)p["t"] == "MESSAGE_CREATE").ToList();
        Assert.Equal(missed, replayed.Select(p => ulong.Parse((string)p["d"]!["id"]!)));
        Assert.Equal(Enumerable.Range(seen + 1, 4), second.Dispatches.Select(p => (int)p["s"]!));
        Assert.Equal(1, world.Emulator.GetStats(world.Bot.User.Id).Resumes);

        await world.Emulator.PostMessageAsync(world.Channel.Id, world.Human.Id, "live again", cancellationToken: Ct);
        Assert.Equal("live again", (string?)(await second.WaitForDispatchAsync("MESSAGE_CREATE"))["d"]!["content"]);
    }

    [Fact]
    public async Task Resume_of_an_unknown_session_or_beyond_the_buffer_is_invalid_session_false()
    {
        await using var world = await EmulatorWorld.StartAsync(o => o.ResumeBufferSize = 2);
        await using var unknown = await world.ConnectAsync();
        await unknown.WaitForOpAsync(10);
        await unknown.SendAsync(new JsonObject { ["op"] = 6, ["d"] = new JsonObject { ["token"] = world.Bot.Token, ["session_id"] = "nope", ["seq"] = 1 } });
        Assert.False((bool)(await unknown.WaitForOpAsync(9))["d"]!);

        var first = await world.ConnectAsync();
        var ready = await first.IdentifyAsync(world.Bot.Token, EmulatorWorld.DefaultIntents);
        await first.WaitForDispatchAsync("GUILD_CREATE");
        var seen = first.LastSequence;
        world.Emulator.Faults.DropConnections();
        await first.WaitForCloseAsync();
        await first.DisposeAsync();
        for (var i = 0; i < 3; i++)
        {
            await world.Emulator.PostMessageAsync(world.Channel.Id, world.Human.Id, "lost " + i, cancellationToken: Ct);
        }

        await using var second = await world.ConnectAsync();
        await second.WaitForOpAsync(10);
        await second.SendAsync(new JsonObject { ["op"] = 6, ["d"] = new JsonObject { ["token"] = world.Bot.Token, ["session_id"] = ready["session_id"]!.DeepClone(), ["seq"] = seen } });
        Assert.False((bool)(await second.WaitForOpAsync(9))["d"]!);

        // the same connection can still IDENTIFY afresh
        await second.SendAsync(new JsonObject { ["op"] = 2, ["d"] = new JsonObject { ["token"] = world.Bot.Token, ["intents"] = EmulatorWorld.DefaultIntents } });
        await second.WaitForDispatchAsync("READY");
    }

    [Fact]
    public async Task Zlib_stream_payloads_inflate_through_one_context_to_the_same_json()
    {
        await using var world = await EmulatorWorld.StartAsync();
        for (var i = 0; i < 600; i++)
        {
            world.Emulator.CreateChannel(world.Guild.Id, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        }

        await using var plain = await world.ConnectAsync();
        await using var compressed = await world.ConnectAsync(compress: true);
        await plain.IdentifyAsync(world.Bot.Token, EmulatorWorld.DefaultIntents);
        await compressed.IdentifyAsync(world.Bot.Token, EmulatorWorld.DefaultIntents);
        var plainGuild = await plain.WaitForDispatchAsync("GUILD_CREATE");
        var compressedGuild = await compressed.WaitForDispatchAsync("GUILD_CREATE");
        Assert.Equal(plainGuild["d"]!.ToJsonString(), compressedGuild["d"]!.ToJsonString());
        Assert.Equal(601, compressedGuild["d"]!["channels"]!.AsArray().Count);

        await world.Emulator.PostMessageAsync(world.Channel.Id, world.Human.Id, "squeezed", cancellationToken: Ct);
        var a = await plain.WaitForDispatchAsync("MESSAGE_CREATE");
        var b = await compressed.WaitForDispatchAsync("MESSAGE_CREATE");
        Assert.Equal(a["d"]!.ToJsonString(), b["d"]!.ToJsonString());

        // zlib header once, every payload ends with a sync flush, and the big GUILD_CREATE spans several messages
        var messages = compressed.CompressedMessages;
        Assert.Equal(0x78, messages[0][0]); // zlib header, sent once: later payloads continue the same stream
        var last = messages[^1];
        Assert.True(last.AsSpan().EndsWith(new byte[] { 0, 0, 0xFF, 0xFF }));
        Assert.Contains(messages, m => !m.AsSpan().EndsWith(new byte[] { 0, 0, 0xFF, 0xFF }));
    }

    [Fact]
    public async Task Bad_token_closes_4004()
    {
        await using var world = await EmulatorWorld.StartAsync(o => o.FixedBotToken = "only-this");
        await using var client = await world.ConnectAsync();
        await client.WaitForOpAsync(10);
        await client.SendAsync(new JsonObject { ["op"] = 2, ["d"] = new JsonObject { ["token"] = "not-the-token", ["intents"] = 1 } });
        Assert.Equal(4004, await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task Message_content_intent_without_permission_closes_4014()
    {
        await using var world = await EmulatorWorld.StartAsync(messageContentAllowed: false);
        await using var client = await world.ConnectAsync();
        await client.WaitForOpAsync(10);
        await client.SendAsync(new JsonObject { ["op"] = 2, ["d"] = new JsonObject { ["token"] = world.Bot.Token, ["intents"] = EmulatorWorld.DefaultIntents } });
        Assert.Equal(4014, await client.WaitForCloseAsync());

        await using var allowed = await world.ConnectAsync();
        await allowed.IdentifyAsync(world.Bot.Token, 1 | (1 << 9));
    }

    [Fact]
    public async Task Too_many_client_sends_close_4008_and_count()
    {
        await using var world = await EmulatorWorld.StartAsync(o => o.GatewaySendLimit = 3);
        await using var client = await world.ConnectAsync();
        await client.IdentifyAsync(world.Bot.Token, EmulatorWorld.DefaultIntents);
        for (var i = 0; i < 3; i++)
        {
            await client.SendAsync("""{"op":1,"d":null}""");
        }

        Assert.Equal(4008, await client.WaitForCloseAsync());
        Assert.Equal(1, world.Emulator.GetStats(world.Bot.User.Id).GatewaySendsRejected);
    }

    [Theory]
    [InlineData("not json at all", 4002)]
    [InlineData("""{"op":3,"d":{}}""", 4003)]
    [InlineData("""{"op":2,"d":{"token":"test-bot-token.abc.def","intents":1073741824}}""", 4013)]
    [InlineData("""{"op":2,"d":{"token":"test-bot-token.abc.def","intents":1,"shard":[2,2]}}""", 4010)]
    [InlineData("""{"op":99}""", 4001)]
    public async Task Protocol_errors_close_with_discord_codes(string payload, int expected)
    {
        await using var world = await EmulatorWorld.StartAsync();
        await using var client = await world.ConnectAsync();
        await client.WaitForOpAsync(10);
        await client.SendAsync(payload);
        Assert.Equal(expected, await client.WaitForCloseAsync());

        // the server is still fine
        await using var healthy = await world.ConnectAsync();
        await healthy.IdentifyAsync(world.Bot.Token, EmulatorWorld.DefaultIntents);
    }

    [Fact]
    public async Task Identify_twice_closes_4005_and_bad_version_closes_4012()
    {
        await using var world = await EmulatorWorld.StartAsync();
        await using var client = await world.ConnectAsync();
        await client.IdentifyAsync(world.Bot.Token, EmulatorWorld.DefaultIntents);
        await client.SendAsync(new JsonObject { ["op"] = 2, ["d"] = new JsonObject { ["token"] = world.Bot.Token, ["intents"] = 1 } });
        Assert.Equal(4005, await client.WaitForCloseAsync());

        await using var old = await world.ConnectAsync(query: "v=8&encoding=json");
        Assert.Equal(4012, await old.WaitForCloseAsync());
    }

    [Fact]
    public async Task Shards_receive_only_their_guilds()
    {
        await using var world = await EmulatorWorld.StartAsync();
        List<ulong> all = [world.Guild.Id];
        for (var i = 0; i < 5; i++)
        {
            all.Add(world.Emulator.CreateGuild("g" + i).Id);
        }

        HashSet<ulong> seen = [];
        for (var shard = 0; shard < 2; shard++)
        {
            await using var client = await world.ConnectAsync();
            var ready = await client.IdentifyAsync(world.Bot.Token, EmulatorWorld.DefaultIntents, shard, 2);
            var expected = all.Where(g => (int)((g >> 22) % 2) == shard).ToList();
            Assert.Equal(expected.Count, ready["guilds"]!.AsArray().Count);
            Assert.NotEmpty(expected);
            for (var i = 0; i < expected.Count; i++)
            {
                var id = ulong.Parse((string)(await client.WaitForDispatchAsync("GUILD_CREATE"))["d"]!["id"]!);
                Assert.Equal(shard, (int)((id >> 22) % 2));
                seen.Add(id);
            }
        }

        Assert.Equal(all.Order(), seen.Order());
    }

    [Fact]
    public async Task Live_guild_channel_and_thread_creation_is_dispatched()
    {
        await using var world = await EmulatorWorld.StartAsync();
        await using var client = await world.ConnectAsync();
        await client.IdentifyAsync(world.Bot.Token, EmulatorWorld.DefaultIntents | (1 << 1));
        await client.WaitForDispatchAsync("GUILD_CREATE");

        var channel = world.Emulator.CreateChannel(world.Guild.Id, "new-room");
        Assert.Equal(channel.Id.ToString(), (string?)(await client.WaitForDispatchAsync("CHANNEL_CREATE"))["d"]!["id"]);
        var thread = world.Emulator.CreateThread(channel.Id, "a thread", world.Human.Id);
        var threadCreate = (await client.WaitForDispatchAsync("THREAD_CREATE"))["d"]!;
        Assert.Equal(thread.Id.ToString(), (string?)threadCreate["id"]);
        Assert.Equal(channel.Id.ToString(), (string?)threadCreate["parent_id"]);
        var newcomer = world.Emulator.CreateUser("newcomer");
        world.Emulator.AddMember(world.Guild.Id, newcomer.Id);
        var guild = world.Emulator.CreateGuild("later");
        var memberAdd = (await client.WaitForDispatchAsync("GUILD_MEMBER_ADD"))["d"]!;
        Assert.Equal(newcomer.Id.ToString(), (string?)memberAdd["user"]!["id"]);
        Assert.Equal(world.Guild.Id.ToString(), (string?)memberAdd["guild_id"]);
        Assert.Equal(guild.Id.ToString(), (string?)(await client.WaitForDispatchAsync("GUILD_CREATE"))["d"]!["id"]);
    }

    [Fact]
    public async Task Oversized_payloads_close_4002_and_plain_http_gets_400()
    {
        await using var world = await EmulatorWorld.StartAsync();
        await using var client = await world.ConnectAsync();
        await client.WaitForOpAsync(10);
        await client.SendAsync("{\"op\":1,\"d\":\"" + new string('x', 70_000) + "\"}");
        Assert.Equal(4002, await client.WaitForCloseAsync());

        using var http = new HttpClient();
        var plain = await http.GetAsync(new Uri(world.Host.BaseAddress, "gateway"), Ct);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, plain.StatusCode);
    }

    [Fact]
    public void Bad_options_are_rejected_with_the_setting_named()
    {
        var bad = Assert.Throws<ArgumentException>(() => new DiscordEmulator(new DiscordEmulatorOptions { FixedBotToken = "has spaces" }));
        Assert.Contains("FixedBotToken", bad.Message);
        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => new DiscordEmulator(new DiscordEmulatorOptions { MessageBucketLimit = 0 }));
        Assert.Contains("MessageBucketLimit", zero.Message);
    }
}
