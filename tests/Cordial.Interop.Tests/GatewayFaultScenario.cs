using Cordial.Emulator.Discord;

namespace Cordial.Interop.Tests;

/// <summary>
/// One gateway fault against a connected discord.js bot: inject it, post a message (while discord.js is, for the
/// resuming faults, disconnected), and check the bot recovered the way discord.js does and answered exactly once.
/// </summary>
internal static class GatewayFaultScenario
{
    public static async Task RunAsync(string fault)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var node = InteropScript.RequireNodeAndPackages();

        await using var host = await DiscordEmulatorHost.StartAsync(cancellationToken: cancellationToken);
        var emulator = host.Emulator;
        var world = InteropWorld.Create(emulator);

        await using var bot = NodeBot.Start(node, InteropScript.ScriptPath, InteropAssert.Environment(host, world.Bot, "none"));
        InteropAssert.Ready(await bot.WaitForAsync("ready", InteropAssert.Step, cancellationToken), host, world, "none", bot);
        await bot.WaitForAsync("shardReady", InteropAssert.Step, cancellationToken); // the first session's

        var resumes = fault != "invalid-session";
        switch (fault)
        {
            case "drop":
                emulator.Faults.DropConnections();
                break;
            case "reconnect":
                emulator.Faults.SendReconnect();
                break;
            case "close-4000":
                emulator.Faults.CloseConnections(4000);
                break;
            case "invalid-session-resumable":
                emulator.Faults.SendInvalidSession(resumable: true);
                break;
            default:
                emulator.Faults.SendInvalidSession(resumable: false);

                // A new session starts empty: wait for it (the second shardReady) before posting.
                await bot.WaitForAsync("shardReady", InteropAssert.Step, cancellationToken);
                break;
        }

        // For the resuming faults this is posted while discord.js is (about to be) disconnected: RESUME must replay it.
        var posted = await emulator.PostMessageAsync(world.Channel.Id, world.Human.Id, $"after {fault} {InteropAssert.Marker}", cancellationToken: cancellationToken);
        if (resumes)
        {
            await bot.WaitForAsync("shardResume", InteropAssert.Step, cancellationToken);
        }

        var done = await bot.WaitForAsync("done", InteropAssert.Step, cancellationToken);
        Assert.Equal(0, await bot.StopAsync(InteropAssert.Step, cancellationToken));
        var diagnostics = bot.Diagnostics();

        // discord.js saw the posted message exactly once and answered it exactly once.
        Assert.Single(bot.EventsNamed("message"), e => InteropAssert.Text(e, "id") == posted.Id.ToString());
        var messages = emulator.GetMessages(world.Channel.Id);
        Assert.Equal(2, messages.Count);
        var reply = messages[1];
        Assert.Equal(InteropAssert.Text(done, "replyId"), reply.Id.ToString());
        Assert.Equal(world.Bot.User.Id, reply.AuthorId);
        Assert.Equal(posted.Id, reply.ReplyToMessageId);
        Assert.Equal([InteropAssert.ReplyText, InteropAssert.EditText], reply.Revisions.Select(r => r.Content));

        var stats = emulator.GetStats(world.Bot.User.Id);
        Assert.True(stats.GatewayConnections >= (fault == "invalid-session-resumable" ? 1 : 2), $"GatewayConnections = {stats.GatewayConnections}.{diagnostics}");
        Assert.Equal(resumes ? 1 : 2, stats.Identifies);
        Assert.Equal(resumes ? 1 : 0, stats.Resumes);
        Assert.Equal(0, stats.TooManyRequests);
        Assert.Equal(0, stats.InvalidRequests);
        Assert.Equal(0, stats.GatewaySendsRejected);
        if (resumes)
        {
            var resumed = Assert.Single(bot.EventsNamed("shardResume"));

            // discord.js counts RESUMED itself as a replayed dispatch. After a cut connection the posted message can
            // only have arrived by replay.
            Assert.True(
                resumed.GetProperty("replayed").GetInt32() >= (fault == "drop" ? 2 : 1),
                "RESUME replayed nothing but RESUMED after a dropped connection." + diagnostics);
        }
        else
        {
            Assert.Empty(bot.EventsNamed("shardResume"));
        }
    }
}
