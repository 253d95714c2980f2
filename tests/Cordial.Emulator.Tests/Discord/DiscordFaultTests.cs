using System.Net;
using System.Text.Json.Nodes;

namespace Cordial.Emulator.Tests.Discord;

public sealed class DiscordFaultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Fail_route_fails_the_next_matching_requests_only()
    {
        await using var world = await EmulatorWorld.StartAsync(o => o.MessageBucketLimit = 50);
        var id = (string)(await EmulatorWorld.ReadJsonAsync(await world.SendMessageAsync("x")))["id"]!;
        world.Emulator.Faults.FailRoute("PATCH", "/channels/{channel_id}/messages/{message_id}", 500, 2);

        Assert.Equal(HttpStatusCode.OK, (await world.SendMessageAsync("post is unaffected")).StatusCode);
        List<HttpStatusCode> statuses = [];
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await world.PatchJsonAsync($"channels/{world.Channel.Id}/messages/{id}", new JsonObject { ["content"] = "e" + i })).StatusCode);
        }

        Assert.Equal([HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.OK], statuses);
        Assert.Equal("e2", world.Emulator.GetMessage(world.Channel.Id, ulong.Parse(id))!.Content);
    }

    [Fact]
    public async Task Rate_limit_storm_answers_429_until_it_ends()
    {
        var time = new ManualTimeProvider();
        await using var world = await EmulatorWorld.StartAsync(o => o.TimeProvider = time);
        world.Emulator.Faults.StartRateLimitStorm(TimeSpan.FromSeconds(10));
        var stormy = await world.Http.GetAsync("users/@me", Ct);
        Assert.Equal((HttpStatusCode)429, stormy.StatusCode);
        Assert.Equal(10.0, (double)(await EmulatorWorld.ReadJsonAsync(stormy))["retry_after"]!, 3);
        Assert.Equal(1, world.Emulator.GetStats(world.Bot.User.Id).TooManyRequests);

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, (await world.Http.GetAsync("users/@me", Ct)).StatusCode);
    }

    [Fact]
    public async Task Response_delay_holds_responses_until_the_clock_moves()
    {
        var time = new ManualTimeProvider();
        await using var world = await EmulatorWorld.StartAsync(o => o.TimeProvider = time);
        var timersBefore = time.ActiveTimers;
        world.Emulator.Faults.SetResponseDelay(TimeSpan.FromSeconds(2));
        var pending = world.Http.GetAsync("users/@me", Ct);
        await Eventually.UntilAsync(() => time.ActiveTimers > timersBefore, "the delayed request to wait on the clock");
        Assert.False(pending.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.OK, (await pending).StatusCode);
    }

    [Fact]
    public async Task Close_reconnect_and_invalid_session_faults_reach_the_client()
    {
        await using var world = await EmulatorWorld.StartAsync();
        await using var client = await world.ConnectAsync();
        await client.IdentifyAsync(world.Bot.Token, EmulatorWorld.DefaultIntents);
        await client.WaitForDispatchAsync("GUILD_CREATE");

        world.Emulator.Faults.SendReconnect();
        await client.WaitForOpAsync(7);
        world.Emulator.Faults.RequestHeartbeat();
        await client.WaitForOpAsync(1);
        world.Emulator.Faults.SendInvalidSession(resumable: false);
        Assert.False((bool)(await client.WaitForOpAsync(9))["d"]!);

        await client.SendAsync(new JsonObject { ["op"] = 2, ["d"] = new JsonObject { ["token"] = world.Bot.Token, ["intents"] = EmulatorWorld.DefaultIntents } });
        await client.WaitForDispatchAsync("READY");
        world.Emulator.Faults.CloseConnections(4000);
        Assert.Equal(4000, await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task Suppressed_heartbeat_acks_make_a_zombie_connection()
    {
        await using var world = await EmulatorWorld.StartAsync();
        await using var client = await world.ConnectAsync();
        await client.IdentifyAsync(world.Bot.Token, EmulatorWorld.DefaultIntents);
        world.Emulator.Faults.SuppressHeartbeatAcks(true);
        await client.SendAsync("""{"op":1,"d":2}""");
        // identifying again is answered by a close: everything the server sent before it is what the heartbeat got
        await client.SendAsync(new JsonObject { ["op"] = 2, ["d"] = new JsonObject { ["token"] = world.Bot.Token, ["intents"] = 1 } });
        List<int> ops = [];
        while (await client.ReceiveAsync() is { } payload)
        {
            ops.Add((int)payload["op"]!);
        }

        Assert.Equal(4005, client.CloseStatus);
        Assert.DoesNotContain(11, ops);

        world.Emulator.Faults.Reset();
        await using var healthy = await world.ConnectAsync();
        await healthy.IdentifyAsync(world.Bot.Token, EmulatorWorld.DefaultIntents);
        await healthy.SendAsync("""{"op":1,"d":2}""");
        await healthy.WaitForOpAsync(11);
    }
}
