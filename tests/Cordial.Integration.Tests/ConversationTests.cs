using Cordial.Bot.Conversations;
using Cordial.Emulator.Llm;
using Microsoft.Extensions.DependencyInjection;

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

        // The thread was started without a message: the presumed starter is asked for once (404, remembered), nothing
        // else is read (the gateway said the thread was empty), and no answer carries a "could not be read" note.
        Assert.Equal(1, world.Running.RestFetches);
        Assert.DoesNotContain(world.BotMessages(thread.Id), m => m.Content.Contains("could not be read", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_message_written_in_a_thread_while_an_answer_still_streams_continues_it_without_reading_discord()
    {
        // The model sends its first word, then waits for this clock: the answer stays in progress until the test moves it.
        var clock = new ManualTimeProvider();
        await using var world = await BotWorld.CreateAsync(behavior: new LlmBehavior { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 1 }, llmClock: clock);
        var thread = world.Discord.CreateThread(world.General.Id, "planning", world.Alice.Id);
        var bot = await world.StartBotAsync();
        world.Llm.Script("slow-question", "Thinking about Tuesday.");
        world.Llm.Script("meanwhile", "Wednesday then.");

        await world.SayAsync(thread.Id, world.Alice, $"{world.Mention} slow-question: when is the meeting?");
        var partial = await Eventually.UntilAsync(() => world.BotMessages(thread.Id).SingleOrDefault(), m => m is not null, "the first words of the answer");
        var store = bot.Services.GetRequiredService<IMessageNodeStore>();
        await Eventually.UntilAsync(() => store.GetAsync(partial!.Id, BotWorld.Token), n => n is not null, "the answer in progress to be remembered");
        var fetches = bot.RestFetches; // the thread's presumed starter (none: 404)

        await world.SayAsync(thread.Id, world.Bob, $"{world.Mention} meanwhile: what about the review?");
        var request = await Eventually.UntilAsync(() => world.RequestContaining("meanwhile"), r => r is not null, "Bob's question to reach the model");
        clock.Advance(TimeSpan.FromMinutes(1));
        await world.WaitForAnswerAsync(thread.Id, "Thinking about Tuesday.");
        await world.WaitForAnswerAsync(thread.Id, "Wednesday then.");

        // Bob's message continues the answer in progress, and through it Alice's question, read from the store alone.
        Assert.Contains("slow-question: when is the meeting?", request!.RawBody, StringComparison.Ordinal);
        Assert.Contains("Thinking", request.RawBody, StringComparison.Ordinal);
        Assert.Equal(fetches, bot.RestFetches);
        await Eventually.UntilAsync(() => store.GetAsync(partial!.Id, BotWorld.Token), n => n?.Text == "Thinking about Tuesday.", "the answer to be stored whole");
    }

    [Fact]
    public async Task A_message_written_in_a_thread_while_a_chat_command_is_still_thinking_continues_it_without_reading_discord()
    {
        // The model's first token waits for this clock: the /chat answer stays "thinking…" until the test moves it.
        var clock = new ManualTimeProvider();
        await using var world = await BotWorld.CreateAsync(behavior: new LlmBehavior { TimeToFirstToken = TimeSpan.FromSeconds(1) }, llmClock: clock);
        var thread = world.Discord.CreateThread(world.General.Id, "planning", world.Alice.Id);
        var bot = await world.StartBotAsync();
        world.Llm.Script("thinking-question", "Tuesday suits.");
        world.Llm.Script("while-thinking", "At ten.");

        var interaction = await world.Discord.RunSlashCommandAsync(
            thread.Id, world.Alice.Id, "chat", new Dictionary<string, object?> { ["prompt"] = "thinking-question: pick a day" }, BotWorld.Token);
        await interaction.WaitForCallbackAsync(BotWorld.Token).WaitAsync(TimeSpan.FromSeconds(30), BotWorld.Token);
        var loading = Assert.Single(world.BotMessages(thread.Id));
        var store = bot.Services.GetRequiredService<IMessageNodeStore>();
        await Eventually.UntilAsync(() => store.GetAsync(loading.Id, BotWorld.Token), n => n is not null, "the thinking message to be remembered");
        var fetches = bot.RestFetches;

        await world.SayAsync(thread.Id, world.Bob, $"{world.Mention} while-thinking: and the time?");
        var request = await Eventually.UntilAsync(() => world.RequestContaining("while-thinking"), r => r is not null, "Bob's question to reach the model");
        clock.Advance(TimeSpan.FromMinutes(1));
        await Eventually.UntilAsync(() => interaction.OriginalEdits is { Count: > 0 } edits && edits[^1].Content == "Tuesday suits.", "the /chat answer");
        await world.WaitForAnswerAsync(thread.Id, "At ten.");

        // Bob's message continues the answer still thinking (nothing said yet, so no assistant turn) and Alice's prompt.
        Assert.Contains("thinking-question: pick a day", request!.RawBody, StringComparison.Ordinal);
        Assert.DoesNotContain("\"assistant\"", request.RawBody, StringComparison.Ordinal);
        Assert.Equal(fetches, bot.RestFetches);
        // Stored when the answer ends, just after Discord took its last edit: the test may look in between.
        await Eventually.UntilAsync(() => store.GetAsync(loading.Id, BotWorld.Token), n => n?.Text == "Tuesday suits.", "the /chat answer to be stored whole");
    }

    [Fact]
    public async Task The_first_mention_in_a_channel_the_gateway_said_was_empty_reads_nothing_from_discord()
    {
        await using var world = await BotWorld.CreateAsync();
        await world.StartBotAsync();
        world.Llm.Script("first-words", "Hello!");

        await world.SayAsync(world.General, world.Alice, $"{world.Mention} first-words");
        await world.WaitForAnswerAsync(world.General.Id, "Hello!");

        Assert.Equal(0, world.Running.RestFetches);
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

    [Fact]
    public async Task A_users_edit_of_their_question_is_what_the_next_reply_in_the_chain_sees_and_other_edits_cost_nothing()
    {
        await using var world = await BotWorld.CreateAsync();
        await world.StartBotAsync();
        world.Llm.Script("code-word", "Noted.");
        world.Llm.Script("which-word", "Banana.");
        var store = world.Running.Services.GetRequiredService<Cordial.Bot.Conversations.IMessageNodeStore>();

        var question = await world.SayAsync(world.General, world.Alice, $"{world.Mention} code-word: the code word is apple");
        var answer = await world.WaitForAnswerAsync(world.General.Id, "Noted.");
        var chatter = await world.SayAsync(world.General, world.Bob, "just chatting, nothing for the bot");
        await Eventually.UntilAsync(() => store.GetAsync(answer.Id, BotWorld.Token).AsTask().Result is not null, "the answer to be stored");
        var fetches = world.Running.RestFetches;

        await world.Discord.EditUserMessageAsync(world.General.Id, question.Id, $"{world.Mention} code-word: the code word is banana", BotWorld.Token);
        await world.Discord.EditUserMessageAsync(world.General.Id, chatter.Id, "just chatting (edited)", BotWorld.Token);
        await Eventually.UntilAsync(
            () => store.GetAsync(question.Id, BotWorld.Token).AsTask().Result?.Text,
            text => text == "code-word: the code word is banana",
            "the stored question to follow the edit");

        // The edit of a message the store never saw (and every edit the bot made while streaming) cost no REST call and
        // stored nothing; events of one channel are handled in order, so the chatter's edit is handled by now too.
        await world.SayAsync(world.General, world.Alice, $"{world.Mention} which-word: what is the code word?", replyTo: answer.Id);
        await world.WaitForAnswerAsync(world.General.Id, "Banana.");
        Assert.Null(await store.GetAsync(chatter.Id, BotWorld.Token));
        Assert.Equal(fetches, world.Running.RestFetches);
        var body = world.RequestContaining("which-word")!.RawBody;
        Assert.Contains("the code word is banana", body, StringComparison.Ordinal);
        Assert.DoesNotContain("apple", body, StringComparison.Ordinal);
    }
}
