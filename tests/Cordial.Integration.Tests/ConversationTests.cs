using Cordial.Emulator.Llm;

namespace Cordial.Integration.Tests;

/// <summary>Conversations end to end: reply chains that branch, thread sessions, merges, and history across a restart.</summary>
public sealed class ConversationTests
{
    [Fact]
    public async Task Replying_to_the_same_answer_twice_makes_two_branches_that_do_not_see_each_other()
    {
        await using var world = await BotWorld.CreateAsync();
        await world.StartBotAsync();
        world.Llm.Script("name a fruit", "Apple.");
        world.Llm.Script("branch-one", "Red apples.");
        world.Llm.Script("branch-two", "Green apples.");

        await world.SayAsync(world.General, world.Alice, $"{world.Mention} name a fruit");
        var root = await world.WaitForAnswerAsync(world.General.Id, "Apple.");
        var one = await world.SayAsync(world.General, world.Alice, "branch-one: which colour?", replyTo: root.Id);
        var oneAnswer = await world.WaitForAnswerAsync(world.General.Id, "Red apples.");
        await world.SayAsync(world.General, world.Bob, "branch-two: and another colour?", replyTo: root.Id);
        var twoAnswer = await world.WaitForAnswerAsync(world.General.Id, "Green apples.");

        Assert.Equal(one.Id, oneAnswer.ReplyToMessageId);
        var second = world.RequestContaining("branch-two")!;
        Assert.Contains("name a fruit", second.RawBody, StringComparison.Ordinal);
        Assert.Contains("Apple.", second.RawBody, StringComparison.Ordinal);
        Assert.DoesNotContain("branch-one", second.RawBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Red apples.", second.RawBody, StringComparison.Ordinal);
        Assert.NotEqual(oneAnswer.Id, twoAnswer.Id);
    }

    [Fact]
    public async Task In_a_thread_each_message_continues_the_session()
    {
        await using var world = await BotWorld.CreateAsync();
        var thread = world.Discord.CreateThread(world.General.Id, "planning", world.Alice.Id);
        await world.StartBotAsync();
        world.Llm.Script("session-one", "Noted: Tuesday.");
        world.Llm.Script("session-two", "Then Wednesday works.");

        await world.SayAsync(thread.Id, world.Alice, $"{world.Mention} session-one: the meeting is on Tuesday");
        await world.WaitForAnswerAsync(thread.Id, "Noted: Tuesday.");
        await world.SayAsync(thread.Id, world.Alice, $"{world.Mention} session-two: and the review the day after?");
        await world.WaitForAnswerAsync(thread.Id, "Then Wednesday works.");

        var body = world.RequestContaining("session-two")!.RawBody;
        Assert.Contains("session-one: the meeting is on Tuesday", body, StringComparison.Ordinal);
        Assert.Contains("Noted: Tuesday.", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_message_sent_before_the_answer_shows_is_merged_into_one_answer()
    {
        await using var world = await BotWorld.CreateAsync();
        await world.StartBotAsync();
        // The first answer takes a while to start, so the second message arrives before anything is visible.
        world.Llm.SetBehavior("sim-small", new LlmBehavior { TimeToFirstToken = TimeSpan.FromSeconds(4), TokensPerSecond = 0 });
        world.Llm.Script("part-two", "One answer to both parts.");
        world.Llm.Script("part-one", "An answer to the first part only.");

        await world.SayAsync(world.General, world.Alice, $"{world.Mention} part-one: I need a name for my cat");
        await Eventually.UntilAsync(() => world.Llm.Requests.Count >= 1, "the first model request");
        await world.SayAsync(world.General, world.Alice, "part-two: she is grey and very loud");
        world.Llm.SetBehavior("sim-small", new LlmBehavior { TimeToFirstToken = TimeSpan.FromMilliseconds(20), TokensPerSecond = 0 });

        await world.WaitForAnswerAsync(world.General.Id, "One answer to both parts.");
        var merged = world.RequestContaining("part-two")!;
        Assert.Contains("part-one: I need a name for my cat", merged.RawBody, StringComparison.Ordinal);
        Assert.Single(world.BotMessages(world.General.Id));
        Assert.DoesNotContain(world.BotMessages(world.General.Id), m => m.Revisions.Any(r => r.Content.Contains("first part only", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task After_a_restart_a_reply_to_an_old_answer_has_its_history_from_the_store_without_rest_reads()
    {
        await using var world = await BotWorld.CreateAsync();
        await world.StartBotAsync();
        world.Llm.Script("remember-me", "I will remember the number 7341.");
        world.Llm.Script("after-restart", "You told me 7341.");

        await world.SayAsync(world.General, world.Alice, $"{world.Mention} remember-me: my number is 7341");
        var old = await world.WaitForAnswerAsync(world.General.Id, "I will remember the number 7341.");
        var store = world.Running.Services.GetRequiredService<Cordial.Bot.Conversations.IMessageNodeStore>();
        await Eventually.UntilAsync(() => store.GetAsync(old.Id, BotWorld.Token).AsTask().Result is not null, "the answer to be stored");

        await world.StopBotAsync();
        var restarted = await world.StartBotAsync();
        await world.SayAsync(world.General, world.Alice, "after-restart: what was my number?", replyTo: old.Id);
        await world.WaitForAnswerAsync(world.General.Id, "You told me 7341.");

        var body = world.RequestContaining("after-restart")!.RawBody;
        Assert.Contains("remember-me: my number is 7341", body, StringComparison.Ordinal);
        Assert.Contains("I will remember the number 7341.", body, StringComparison.Ordinal);
        Assert.Equal(0, restarted.RestFetches);
    }
}
