using Cordial.Emulator.Discord;

namespace Cordial.Interop.Tests;

/// <summary>
/// Discord takes 2000 characters of message content and refuses 2001 with 400 / code 50035 (invalid form body);
/// discord.js surfaces that as a DiscordAPIError. The emulator must draw the same line. A deleted message leaves the
/// channel history.
/// </summary>
public sealed class DiscordJsMessageTests
{
    private static readonly TimeSpan Step = InteropAssert.Step;

    [Fact]
    public async Task Content_of_2000_characters_is_accepted_and_2001_is_refused_with_50035()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var node = InteropScript.RequireNodeAndPackages();

        await using var host = await DiscordEmulatorHost.StartAsync(cancellationToken: cancellationToken);
        var emulator = host.Emulator;
        var world = InteropWorld.Create(emulator);

        await using var bot = NodeBot.Start(node, InteropScript.ScriptPath, InteropAssert.Environment(host, world.Bot, "none"));
        InteropAssert.Ready(await bot.WaitForAsync("ready", Step, cancellationToken), host, world, "none", bot);

        await emulator.PostMessageAsync(world.Channel.Id, world.Human.Id, "!long 2000", cancellationToken: cancellationToken);
        var accepted = await bot.WaitForAsync("longResult", Step, cancellationToken);
        await emulator.PostMessageAsync(world.Channel.Id, world.Human.Id, "!long 2001", cancellationToken: cancellationToken);
        var refused = await bot.WaitForAsync("longResult", Step, cancellationToken);
        Assert.Equal(0, await bot.StopAsync(Step, cancellationToken));
        var diagnostics = bot.Diagnostics();

        Assert.True(accepted.GetProperty("ok").GetBoolean(), "2000 characters were refused." + diagnostics);
        Assert.Equal(2000, accepted.GetProperty("sentLength").GetInt32());
        Assert.False(refused.GetProperty("ok").GetBoolean(), "2001 characters were accepted." + diagnostics);
        Assert.Equal(400, refused.GetProperty("status").GetInt32());
        Assert.Equal(50035, refused.GetProperty("code").GetInt32());

        var botMessages = emulator.GetMessages(world.Channel.Id).Where(m => m.AuthorId == world.Bot.User.Id).ToList();
        var stored = Assert.Single(botMessages);
        Assert.Equal(InteropAssert.Text(accepted, "id"), stored.Id.ToString());
        Assert.Equal(new string('x', 2000), stored.Content);
        Assert.Equal(0, emulator.GetStats(world.Bot.User.Id).TooManyRequests);
    }

    [Fact]
    public async Task A_message_deleted_by_discordjs_is_marked_deleted_and_leaves_the_history()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var node = InteropScript.RequireNodeAndPackages();

        await using var host = await DiscordEmulatorHost.StartAsync(cancellationToken: cancellationToken);
        var emulator = host.Emulator;
        await using var log = await EmulatorEventLog.StartAsync(emulator, Step, cancellationToken);
        var world = InteropWorld.Create(emulator);

        await using var bot = NodeBot.Start(node, InteropScript.ScriptPath, InteropAssert.Environment(host, world.Bot, "none"));
        InteropAssert.Ready(await bot.WaitForAsync("ready", Step, cancellationToken), host, world, "none", bot);

        var posted = await emulator.PostMessageAsync(world.Channel.Id, world.Human.Id, "!delete", cancellationToken: cancellationToken);
        var done = await bot.WaitForAsync("deleteDone", Step, cancellationToken);
        Assert.Equal(0, await bot.StopAsync(Step, cancellationToken));

        var deletedId = InteropAssert.Text(done, "id");
        Assert.Equal([posted.Id.ToString()], done.GetProperty("historyIds").EnumerateArray().Select(id => id.GetString()));
        var temporary = Assert.Single(emulator.GetMessages(world.Channel.Id), m => m.Id.ToString() == deletedId);
        Assert.True(temporary.Deleted);
        Assert.Equal(world.Bot.User.Id, temporary.AuthorId);
        Assert.Single(log.Snapshot(), e => e.Type == EmulatorEventTypes.MessageDeleted && (e.MessageId ?? e.Message?.Id)?.ToString() == deletedId);
        Assert.Equal(0, emulator.GetStats(world.Bot.User.Id).TooManyRequests);
    }
}
