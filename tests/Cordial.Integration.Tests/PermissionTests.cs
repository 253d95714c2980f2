namespace Cordial.Integration.Tests;

/// <summary>Access rules from configuration, applied to real gateway messages.</summary>
public sealed class PermissionTests
{
    [Fact]
    public async Task A_blocked_user_is_ignored_while_others_are_answered()
    {
        await using var world = await BotWorld.CreateAsync();
        world.Set("Bot:Access:BlockedUserIds:0", BotWorld.Id(world.Bob.Id));
        await world.StartBotAsync();
        world.Llm.Script("from bob", "Should never be said.");
        world.Llm.Script("from alice", "Hello Alice.");

        await world.SayAsync(world.General, world.Bob, $"{world.Mention} from bob");
        await world.SayAsync(world.General, world.Alice, $"{world.Mention} from alice");
        await world.WaitForAnswerAsync(world.General.Id, "Hello Alice.");

        Assert.Single(world.BotMessages(world.General.Id));
        Assert.Null(world.RequestContaining("from bob"));
    }

    [Fact]
    public async Task A_blocked_channel_covers_its_threads()
    {
        await using var world = await BotWorld.CreateAsync();
        var quiet = world.Discord.CreateChannel(world.Guild.Id, "quiet");
        var thread = world.Discord.CreateThread(quiet.Id, "quiet thread", world.Alice.Id);
        world.Set("Bot:Access:BlockedChannelIds:0", BotWorld.Id(quiet.Id));
        await world.StartBotAsync();
        world.Llm.Script("in the thread", "Should never be said.");
        world.Llm.Script("in general", "Answered in general.");

        await world.SayAsync(thread.Id, world.Alice, $"{world.Mention} in the thread");
        await world.SayAsync(quiet, world.Alice, $"{world.Mention} in the thread too");
        await world.SayAsync(world.General, world.Alice, $"{world.Mention} in general");
        await world.WaitForAnswerAsync(world.General.Id, "Answered in general.");
        // The thread's and the channel's messages were handled before (the pump keeps each channel in order, and the
        // general one came last); give them the same chance by waiting for the pump to have handled all three.
        await Eventually.UntilAsync(() => world.Running.Runtime.Pump!.Handled >= 4, "the pump to handle every message");

        Assert.Empty(world.BotMessages(thread.Id));
        Assert.Empty(world.BotMessages(quiet.Id));
        Assert.Null(world.RequestContaining("in the thread"));
    }
}
