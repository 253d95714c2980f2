using Cordial.Emulator.Discord;

namespace Cordial.Interop.Tests;

/// <summary>
/// Heartbeats as discord.js sends them: acknowledged ones keep the connection; unacknowledged ones (a zombie
/// connection) make discord.js drop it and RESUME, after which the bot still answers exactly once.
/// </summary>
public sealed class DiscordJsHeartbeatTests
{
    private static readonly TimeSpan Step = InteropAssert.Step;

    [Fact]
    public async Task Acknowledged_heartbeats_keep_the_connection_and_a_zombie_connection_is_resumed()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var node = InteropScript.RequireNodeAndPackages();

        var options = new DiscordEmulatorOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(1500) };
        await using var host = await DiscordEmulatorHost.StartAsync(options, cancellationToken: cancellationToken);
        var emulator = host.Emulator;
        var world = InteropWorld.Create(emulator);

        await using var bot = NodeBot.Start(node, InteropScript.ScriptPath, InteropAssert.Environment(host, world.Bot, "none"));
        InteropAssert.Ready(await bot.WaitForAsync("ready", Step, cancellationToken), host, world, "none", bot);

        // Healthy: discord.js heartbeats at the HELLO interval and every beat is acknowledged.
        await bot.WaitForAsync("heartbeatAck", Step, cancellationToken);
        await bot.WaitForAsync("heartbeatAck", Step, cancellationToken);
        Assert.Empty(bot.EventsNamed("shardReconnecting"));

        // Zombie: no acks, so discord.js gives up on the connection at its next beat and resumes.
        emulator.Faults.SuppressHeartbeatAcks(true);
        await bot.WaitForAsync("shardReconnecting", Step, cancellationToken);
        emulator.Faults.SuppressHeartbeatAcks(false);
        await bot.WaitForAsync("shardResume", Step, cancellationToken);

        var posted = await emulator.PostMessageAsync(world.Channel.Id, world.Human.Id, $"still there? {InteropAssert.Marker}", cancellationToken: cancellationToken);
        var done = await bot.WaitForAsync("done", Step, cancellationToken);
        Assert.Equal(0, await bot.StopAsync(Step, cancellationToken));
        var diagnostics = bot.Diagnostics();

        Assert.Contains("Reason: Zombie connection", diagnostics, StringComparison.Ordinal);
        var reply = emulator.GetMessages(world.Channel.Id).Single(m => m.AuthorId == world.Bot.User.Id);
        Assert.Equal(InteropAssert.Text(done, "replyId"), reply.Id.ToString());
        Assert.Equal(posted.Id, reply.ReplyToMessageId);

        var stats = emulator.GetStats(world.Bot.User.Id);
        Assert.Equal(1, stats.Identifies);
        Assert.True(stats.Resumes >= 1, $"Resumes = {stats.Resumes}.{diagnostics}");
        Assert.Equal(0, stats.GatewaySendsRejected);
        Assert.Equal(0, stats.TooManyRequests);
    }
}
