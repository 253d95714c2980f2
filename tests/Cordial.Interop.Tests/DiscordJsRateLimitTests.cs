using Cordial.Emulator.Discord;

namespace Cordial.Interop.Tests;

/// <summary>
/// @discordjs/rest paces requests by the X-RateLimit-* headers it is given. A burst larger than the channel's message
/// bucket must therefore be queued by discord.js and never draw a 429 from the emulator.
/// </summary>
public sealed class DiscordJsRateLimitTests
{
    private const int BucketLimit = 2;
    private const int Burst = 5;
    private static readonly TimeSpan Step = InteropAssert.Step;

    [Fact]
    public async Task A_burst_is_paced_by_the_emulators_rate_limit_headers_without_a_429()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var node = InteropScript.RequireNodeAndPackages();

        var options = new DiscordEmulatorOptions
        {
            MessageBucketLimit = BucketLimit,
            // Long enough that even a slow machine sends two requests within one window, so discord.js must wait.
            MessageBucketWindow = TimeSpan.FromSeconds(2),
        };
        await using var host = await DiscordEmulatorHost.StartAsync(options, cancellationToken: cancellationToken);
        var emulator = host.Emulator;
        var world = InteropWorld.Create(emulator);

        await using var bot = NodeBot.Start(node, InteropScript.ScriptPath, InteropAssert.Environment(host, world.Bot, "none"));
        InteropAssert.Ready(await bot.WaitForAsync("ready", Step, cancellationToken), host, world, "none", bot);

        var posted = await emulator.PostMessageAsync(world.Channel.Id, world.Human.Id, $"!burst {Burst}", cancellationToken: cancellationToken);
        var burst = await bot.WaitForAsync("burstDone", Step, cancellationToken);
        Assert.Equal(0, await bot.StopAsync(Step, cancellationToken));
        var diagnostics = bot.Diagnostics();

        // Every message arrived once, in the order discord.js queued them.
        var expected = Enumerable.Range(1, Burst).Select(i => $"burst {i} of {Burst}").ToList();
        Assert.Equal(expected, burst.GetProperty("contents").EnumerateArray().Select(c => c.GetString()));
        var messages = emulator.GetMessages(world.Channel.Id);
        Assert.Equal(posted.Id, messages[0].Id);
        Assert.Equal(expected, messages.Skip(1).Select(m => m.Content));
        Assert.All(messages.Skip(1), m => Assert.Equal(world.Bot.User.Id, m.AuthorId));
        Assert.Equal(
            burst.GetProperty("ids").EnumerateArray().Select(id => id.GetString()),
            messages.Skip(1).Select(m => m.Id.ToString()));

        // discord.js waited on the bucket the headers described, and the emulator never had to refuse it.
        var waits = bot.EventsNamed("rateLimited");
        Assert.True(waits.Count > 0, "discord.js never waited for the message bucket: the emulator's X-RateLimit headers were not usable." + diagnostics);
        Assert.All(waits, w =>
        {
            Assert.Equal(BucketLimit, w.GetProperty("limit").GetInt32());
            Assert.False(w.GetProperty("global").GetBoolean());
        });
        var stats = emulator.GetStats(world.Bot.User.Id);
        Assert.Equal(0, stats.TooManyRequests);
        Assert.Equal(0, stats.GlobalRateLimitHits);
        Assert.Equal(0, stats.InvalidRequests);
    }
}
