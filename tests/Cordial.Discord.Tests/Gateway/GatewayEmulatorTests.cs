using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cordial.Discord.Gateway;
using Cordial.Discord.Models;
using Cordial.Emulator.Discord;

namespace Cordial.Discord.Tests.Gateway;

/// <summary>The gateway client against the real Discord emulator on 127.0.0.1.</summary>
public sealed class GatewayEmulatorTests
{
    private const GatewayIntents Intents = GatewayIntents.Guilds | GatewayIntents.GuildMessages | GatewayIntents.MessageContent;

    [Theory]
    [InlineData(GatewayCompression.None)]
    [InlineData(GatewayCompression.ZlibStream)]
    public async Task Resume_after_a_dropped_connection_delivers_every_message_exactly_once_in_order(GatewayCompression compression)
    {
        await using var host = await DiscordEmulatorHost.StartAsync(new DiscordEmulatorOptions { HeartbeatInterval = TimeSpan.FromSeconds(1) }, cancellationToken: TestContext.Current.CancellationToken);
        var world = World.Create(host.Emulator);
        await using var client = GatewayTestClient.Create(host.GatewayAddress, compression, Intents, token: world.Bot.Token);
        await client.StartAsync(TestContext.Current.CancellationToken);
        await client.Events.NextAsync<GuildCreateEvent>();

        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < 20; i++)
        {
            await host.Emulator.PostMessageAsync(world.Channel.Id, world.User.Id, $"m{i}", cancellationToken: ct);
        }

        host.Emulator.Faults.DropConnections();
        for (var i = 20; i < 40; i++)
        {
            await host.Emulator.PostMessageAsync(world.Channel.Id, world.User.Id, $"m{i}", cancellationToken: ct);
        }

        await Eventually.UntilAsync(() => client.GetShardStatuses()[0].Resumes >= 1, "the shard to resume");
        for (var i = 40; i < 60; i++)
        {
            await host.Emulator.PostMessageAsync(world.Channel.Id, world.User.Id, $"m{i}", cancellationToken: ct);
        }

        await host.Emulator.PostMessageAsync(world.Channel.Id, world.User.Id, "end", cancellationToken: ct);
        var received = await ReadContentsUntilAsync(client, "end");

        Assert.Equal([.. Enumerable.Range(0, 60).Select(i => $"m{i}"), "end"], received);
        var status = client.GetShardStatuses()[0];
        Assert.Equal(1, status.Identifies);
        Assert.True(status.Reconnects >= 1);
        Assert.Equal(1, host.Emulator.GetStats(world.Bot.User.Id).Identifies);
    }

    [Fact]
    public async Task A_zombie_connection_is_detected_and_resumed()
    {
        await using var host = await DiscordEmulatorHost.StartAsync(new DiscordEmulatorOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(300) }, cancellationToken: TestContext.Current.CancellationToken);
        var world = World.Create(host.Emulator);
        await using var client = GatewayTestClient.Create(host.GatewayAddress, GatewayCompression.ZlibStream, Intents, token: world.Bot.Token);
        await client.StartAsync(TestContext.Current.CancellationToken);
        await client.Events.NextAsync<GuildCreateEvent>();

        host.Emulator.Faults.SuppressHeartbeatAcks(true);
        await Eventually.UntilAsync(() => client.GetShardStatuses()[0].Reconnects >= 1, "the shard to give up on the zombie connection");
        host.Emulator.Faults.SuppressHeartbeatAcks(false);
        await Eventually.UntilAsync(() => client.GetShardStatuses()[0].State == GatewayConnectionState.Ready && client.GetShardStatuses()[0].Resumes >= 1, "the shard to resume");

        await host.Emulator.PostMessageAsync(world.Channel.Id, world.User.Id, "after the zombie", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("after the zombie", (await client.Events.NextAsync<MessageCreateEvent>()).Message.Content);
        Assert.Equal(1, client.GetShardStatuses()[0].Identifies);

        // The resumed connection measures its latency at its first acknowledged heartbeat (≤ one interval away).
        await Eventually.UntilAsync(() => client.GetShardStatuses()[0].Latency is not null, "a heartbeat ACK on the resumed connection");
    }

    [Fact]
    public async Task A_wrong_token_stops_the_client_with_the_4004_message()
    {
        await using var host = await DiscordEmulatorHost.StartAsync(new DiscordEmulatorOptions { FixedBotToken = "right.token" }, cancellationToken: TestContext.Current.CancellationToken);
        await using var client = GatewayTestClient.Create(host.GatewayAddress, token: "wrong.token");
        await client.StartAsync(TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAsync<GatewayFatalException>(() => DrainAsync(client));

        Assert.Equal(4004, ex.CloseCode);
        Assert.Equal("Discord rejected the bot token (close 4004). Check the token in your configuration.", ex.Message);
        Assert.DoesNotContain("wrong.token", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_message_content_intent_stops_the_client_with_the_4014_message()
    {
        await using var host = await DiscordEmulatorHost.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var bot = host.Emulator.RegisterBot("NoContent", messageContentIntentAllowed: false);
        await using var client = GatewayTestClient.Create(host.GatewayAddress, intents: Intents, token: bot.Token);
        await client.StartAsync(TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAsync<GatewayFatalException>(() => DrainAsync(client));

        Assert.Equal(4014, ex.CloseCode);
        Assert.StartsWith("Discord refused a privileged intent (close 4014): enable the Message Content intent", ex.Message, StringComparison.Ordinal);
        Assert.Equal(GatewayConnectionState.Failed, client.GetShardStatuses()[0].State);
    }

    [Fact]
    public async Task Reconnect_op7_resumes_the_session()
    {
        await using var host = await DiscordEmulatorHost.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var world = World.Create(host.Emulator);
        await using var client = GatewayTestClient.Create(host.GatewayAddress, GatewayCompression.ZlibStream, Intents, token: world.Bot.Token);
        await client.StartAsync(TestContext.Current.CancellationToken);
        await client.Events.NextAsync<GuildCreateEvent>();

        host.Emulator.Faults.SendReconnect();
        await client.Events.NextAsync<ResumedEvent>();
        await host.Emulator.PostMessageAsync(world.Channel.Id, world.User.Id, "after op 7", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("after op 7", (await client.Events.NextAsync<MessageCreateEvent>()).Message.Content);
        Assert.Equal(1, host.Emulator.GetStats(world.Bot.User.Id).Resumes);
        Assert.Equal(1, host.Emulator.GetStats(world.Bot.User.Id).Identifies);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Invalid_session_resumes_or_identifies_afresh(bool resumable)
    {
        await using var host = await DiscordEmulatorHost.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var world = World.Create(host.Emulator);
        await using var client = GatewayTestClient.Create(host.GatewayAddress, GatewayCompression.None, Intents, token: world.Bot.Token);
        await client.StartAsync(TestContext.Current.CancellationToken);
        var firstReady = await client.Events.NextAsync<ReadyEvent>();

        host.Emulator.Faults.SendInvalidSession(resumable);
        if (resumable)
        {
            await client.Events.NextAsync<ResumedEvent>();
        }
        else
        {
            var secondReady = await client.Events.NextAsync<ReadyEvent>();
            Assert.NotEqual(firstReady.Ready.SessionId, secondReady.Ready.SessionId);
        }

        await host.Emulator.PostMessageAsync(world.Channel.Id, world.User.Id, "after op 9", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("after op 9", (await client.Events.NextAsync<MessageCreateEvent>()).Message.Content);
        var stats = host.Emulator.GetStats(world.Bot.User.Id);
        Assert.Equal(resumable ? 1 : 2, stats.Identifies);
        Assert.Equal(resumable ? 1 : 0, stats.Resumes);
    }

    [Fact]
    public async Task Zlib_stream_carries_a_large_guild_and_hundreds_of_messages()
    {
        await using var host = await DiscordEmulatorHost.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var world = World.Create(host.Emulator);
        for (var i = 0; i < 1500; i++)
        {
            host.Emulator.CreateChannel(world.Guild.Id, $"channel-{i}-" + new string('c', 60));
        }

        await using var client = GatewayTestClient.Create(host.GatewayAddress, GatewayCompression.ZlibStream, Intents, token: world.Bot.Token);
        await client.StartAsync(TestContext.Current.CancellationToken);
        var guild = await client.Events.NextAsync<GuildCreateEvent>();
        Assert.Equal(1501, guild.Guild.Channels?.Length);

        var random = new Random(5);
        var expected = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            var content = i % 25 == 0 ? string.Concat(Enumerable.Range(0, 4000).Select(_ => (char)random.Next('a', 'z' + 1))) : $"message {i}";
            expected.Add(content);
            await host.Emulator.PostMessageAsync(world.Channel.Id, world.User.Id, content, cancellationToken: TestContext.Current.CancellationToken);
        }

        foreach (var content in expected)
        {
            Assert.Equal(content, (await client.Events.NextAsync<MessageCreateEvent>()).Message.Content);
        }

        Assert.Equal(0, client.GetShardStatuses()[0].MalformedFrames);
    }

    [Fact]
    public async Task Two_shards_in_one_process_each_receive_their_guilds_events()
    {
        await using var host = await DiscordEmulatorHost.StartAsync(new DiscordEmulatorOptions { RecommendedShards = 2, MaxConcurrency = 2 }, cancellationToken: TestContext.Current.CancellationToken);
        var bot = host.Emulator.RegisterBot();
        var user = host.Emulator.CreateUser("alice");
        var guilds = new Dictionary<int, EmulatedGuild>();
        while (guilds.Count < 2)
        {
            var guild = host.Emulator.CreateGuild($"guild {guilds.Count}");
            guilds.TryAdd((int)((guild.Id >> 22) % 2), guild);
            await Task.Delay(2, TestContext.Current.CancellationToken);
        }

        var channels = guilds.ToDictionary(g => g.Key, g => host.Emulator.CreateChannel(g.Value.Id, "general"));
        using var http = new HttpClient();
        await using var client = GatewayTestClient.Create(
            gateway: null,
            intents: Intents,
            shardCount: null,
            token: bot.Token,
            getGatewayBot: async ct =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.RestBaseAddress, "gateway/bot"));
                request.Headers.Authorization = new AuthenticationHeaderValue("Bot", bot.Token);
                using var response = await http.SendAsync(request, ct);
                response.EnsureSuccessStatusCode();
                return (await response.Content.ReadFromJsonAsync(DiscordJsonContext.Default.JsonGatewayBot, ct))!;
            });
        await client.StartAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, client.ShardCount);

        // Every guild (including extras made while looking for both parities) arrives on the shard that owns it.
        var guildShards = new Dictionary<ulong, int>();
        while (!guilds.Values.All(g => guildShards.ContainsKey(g.Id)))
        {
            var created = await client.Events.NextAsync<GuildCreateEvent>();
            Assert.Equal((int)((created.Guild.Id >> 22) % 2), created.ShardId);
            guildShards[created.Guild.Id] = created.ShardId;
        }

        foreach (var (shard, guild) in guilds)
        {
            Assert.Equal(shard, guildShards[guild.Id]);
            await host.Emulator.PostMessageAsync(channels[shard].Id, user.Id, $"to shard {shard}", cancellationToken: TestContext.Current.CancellationToken);
        }

        var messages = new List<MessageCreateEvent>
        {
            await client.Events.NextAsync<MessageCreateEvent>(),
            await client.Events.NextAsync<MessageCreateEvent>(),
        };
        foreach (var message in messages)
        {
            Assert.Equal($"to shard {message.ShardId}", message.Message.Content);
        }

        Assert.Equal([0, 1], messages.Select(m => m.ShardId).Order());
        Assert.All(client.GetShardStatuses(), s => Assert.Equal(GatewayConnectionState.Ready, s.State));
    }

    private static async Task<List<string>> ReadContentsUntilAsync(GatewayClient client, string last)
    {
        var received = new List<string>();
        while (true)
        {
            var message = await client.Events.NextAsync<MessageCreateEvent>();
            received.Add(message.Message.Content);
            if (message.Message.Content == last)
            {
                return received;
            }
        }
    }

    private static async Task DrainAsync(GatewayClient client)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        await foreach (var _ in client.Events.ReadAllAsync(cts.Token))
        {
        }
    }

    private sealed record World(EmulatedBot Bot, EmulatedUser User, EmulatedGuild Guild, EmulatedChannel Channel)
    {
        public static World Create(DiscordEmulator emulator)
        {
            var bot = emulator.RegisterBot();
            var user = emulator.CreateUser("alice");
            var guild = emulator.CreateGuild("Test guild");
            var channel = emulator.CreateChannel(guild.Id, "general");
            return new World(bot, user, guild, channel);
        }
    }
}
