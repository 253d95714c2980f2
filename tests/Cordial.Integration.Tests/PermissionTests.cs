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

    [Fact]
    public async Task Allowed_users_and_roles_blocked_roles_an_allowed_category_admins_and_disabled_direct_messages_apply_together()
    {
        await using var world = await BotWorld.CreateAsync();
        var discord = world.Discord;
        var zone = discord.CreateChannel(world.Guild.Id, "allowed-zone", Cordial.Emulator.Discord.EmulatedChannelKind.Category);
        var zoneChat = discord.CreateChannel(world.Guild.Id, "zone-chat", parentId: zone.Id);
        var member = discord.CreateRole(world.Guild.Id, "member");
        var muted = discord.CreateRole(world.Guild.Id, "muted");
        var erin = discord.CreateUser("erin");
        var carol = discord.CreateUser("carol");
        var dave = discord.CreateUser("dave");
        var frank = discord.CreateUser("frank");
        discord.AddMember(world.Guild.Id, erin.Id, member.Id);
        discord.AddMember(world.Guild.Id, carol.Id, member.Id, muted.Id);
        discord.AddMember(world.Guild.Id, dave.Id);
        discord.AddMember(world.Guild.Id, frank.Id);
        var erinDm = discord.OpenDirectMessage(erin.Id, world.Bot.User.Id);
        var daveDm = discord.OpenDirectMessage(dave.Id, world.Bot.User.Id);
        world.Set("Bot:Access:AllowedRoleIds:0", BotWorld.Id(member.Id))
            .Set("Bot:Access:AllowedUserIds:0", BotWorld.Id(frank.Id))
            .Set("Bot:Access:BlockedRoleIds:0", BotWorld.Id(muted.Id))
            .Set("Bot:Access:AllowedChannelIds:0", BotWorld.Id(zone.Id))
            .Set("Bot:Access:AdminIds:0", BotWorld.Id(dave.Id))
            .Set("Bot:Access:AllowDirectMessages", "false");
        await world.StartBotAsync();
        world.Llm.Script("erin-in-zone", "Zone answer.");
        world.Llm.Script("dave-in-general", "Admin answer.");
        world.Llm.Script("dave-dm", "Admin DM answer.");
        world.Llm.Script("frank-in-zone", "Allowed user answer.");

        // Refused first; each channel's later answer proves its earlier messages were handled (one channel, one order).
        await world.SayAsync(zoneChat, world.Bob, $"{world.Mention} bob-in-zone: no allowed role");
        await world.SayAsync(zoneChat, carol, $"{world.Mention} carol-in-zone: the blocked role wins");
        await world.SayAsync(world.General, erin, $"{world.Mention} erin-in-general: not an allowed channel");
        await world.SayAsync(erinDm.Id, erin, "erin-dm: direct messages are off");
        await world.SayAsync(zoneChat, erin, $"{world.Mention} erin-in-zone: a channel of the allowed category");
        await world.SayAsync(zoneChat, frank, $"{world.Mention} frank-in-zone: an allowed user needs no role");
        await world.SayAsync(world.General, dave, $"{world.Mention} dave-in-general: admins bypass the rules");
        await world.SayAsync(daveDm.Id, dave, "dave-dm: admins may write directly");

        await world.WaitForAnswerAsync(zoneChat.Id, "Zone answer.");
        await world.WaitForAnswerAsync(zoneChat.Id, "Allowed user answer.");
        await world.WaitForAnswerAsync(world.General.Id, "Admin answer.");
        await world.WaitForAnswerAsync(daveDm.Id, "Admin DM answer.");
        var stats = await discord.RunSlashCommandAsync(erinDm.Id, erin.Id, "stats", cancellationToken: BotWorld.Token);
        await stats.WaitForCallbackAsync(BotWorld.Token).WaitAsync(TimeSpan.FromSeconds(30), BotWorld.Token);
        Assert.Equal("This bot does not answer direct messages.", stats.CallbackContent);

        Assert.Equal(2, world.BotMessages(zoneChat.Id).Count);
        Assert.Single(world.BotMessages(world.General.Id));
        Assert.Equal([stats.OriginalMessageId], world.BotMessages(erinDm.Id).Select(m => (ulong?)m.Id)); // only the ephemeral refusal
        foreach (var refused in (string[])["bob-in-zone", "carol-in-zone", "erin-in-general", "erin-dm"])
        {
            Assert.Null(world.RequestContaining(refused));
        }
    }
}
