using Cordial.Emulator.Discord;

namespace Cordial.Integration.Tests;

/// <summary>Every way a message reaches the bot, through the real gateway and REST API of the emulator.</summary>
public sealed class TriggerTests
{
    [Fact]
    public async Task A_mention_is_answered_as_a_reply_that_pings_nobody()
    {
        await using var world = await BotWorld.CreateAsync();
        await world.StartBotAsync();
        world.Llm.Script("what is a mention", "A mention is @everyone's favourite <@1> ping.");

        var question = await world.SayAsync(world.General, world.Alice, $"{world.Mention} what is a mention?");
        var answer = await world.WaitForAnswerAsync(world.General.Id, "A mention is @everyone's favourite <@1> ping.");

        Assert.Equal(question.Id, answer.ReplyToMessageId);
        Assert.NotNull(answer.AllowedMentions);
        Assert.Contains("\"parse\":[]", answer.AllowedMentions!.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("\"replied_user\":false", answer.AllowedMentions.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var request = Assert.Single(world.Llm.Requests);
        Assert.Contains("what is a mention?", request.LastUserText, StringComparison.Ordinal);
        Assert.DoesNotContain(BotWorld.Id(world.Bot.User.Id), request.LastUserText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_direct_message_is_answered_without_a_mention()
    {
        await using var world = await BotWorld.CreateAsync();
        var dm = world.Discord.OpenDirectMessage(world.Alice.Id, world.Bot.User.Id);
        await world.StartBotAsync();
        world.Llm.Script("hello in private", "Hello, privately.");

        await world.SayAsync(dm, world.Alice, "hello in private");

        await world.WaitForAnswerAsync(dm.Id, "Hello, privately.");
    }

    [Fact]
    public async Task A_reply_to_the_bot_continues_the_conversation_without_a_mention()
    {
        await using var world = await BotWorld.CreateAsync();
        await world.StartBotAsync();
        world.Llm.Script("favourite colour", "Mine is teal.");
        world.Llm.Script("why that one", "Because teal is calm.");

        await world.SayAsync(world.General, world.Alice, $"{world.Mention} what is your favourite colour?");
        var first = await world.WaitForAnswerAsync(world.General.Id, "Mine is teal.");
        await world.SayAsync(world.General, world.Bob, "why that one?", replyTo: first.Id);
        await world.WaitForAnswerAsync(world.General.Id, "Because teal is calm.");

        var followUp = world.RequestContaining("why that one")!;
        Assert.Contains("favourite colour", followUp.RawBody, StringComparison.Ordinal);
        Assert.Contains("Mine is teal.", followUp.RawBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_a_thread_the_bot_opened_every_message_is_answered()
    {
        await using var world = await BotWorld.CreateAsync();
        var threads = world.Discord.CreateChannel(world.Guild.Id, "threads");
        world.Set($"Bot:Triggers:Channels:{BotWorld.Id(threads.Id)}:OpenThread", "true");
        await world.StartBotAsync();
        world.Llm.Script("open a thread", "Thread answer one.");
        world.Llm.Script("and another thing", "Thread answer two.");

        await world.SayAsync(threads, world.Alice, $"{world.Mention} open a thread about cats");
        var thread = await Eventually.UntilAsync(
            () => world.Discord.GetChannels().FirstOrDefault(c => c.IsThread && c.ParentId == threads.Id),
            c => c is not null,
            "the bot's thread");
        Assert.Equal(world.Bot.User.Id, thread!.OwnerId);
        Assert.StartsWith("open a thread about cats", thread.Name, StringComparison.Ordinal);
        await world.WaitForAnswerAsync(thread.Id, "Thread answer one.");

        await world.SayAsync(thread.Id, world.Alice, "and another thing");
        await world.WaitForAnswerAsync(thread.Id, "Thread answer two.");
        Assert.Contains("open a thread about cats", world.RequestContaining("and another thing")!.RawBody, StringComparison.Ordinal);
        Assert.Empty(world.BotMessages(threads.Id));
    }

    [Fact]
    public async Task Keyword_mode_answers_messages_with_a_keyword_only()
    {
        await using var world = await BotWorld.CreateAsync();
        var kitchen = world.Discord.CreateChannel(world.Guild.Id, "kitchen");
        world.Set($"Bot:Triggers:Channels:{BotWorld.Id(kitchen.Id)}:Mode", "Keyword")
             .Set($"Bot:Triggers:Channels:{BotWorld.Id(kitchen.Id)}:Keywords:0", "pineapple");
        await world.StartBotAsync();
        world.Llm.Script("pizza", "Pineapple belongs on pizza.");

        var ignored = await world.SayAsync(kitchen, world.Bob, "what should I cook tonight");
        await world.SayAsync(kitchen, world.Alice, "is Pineapple on pizza fine");
        var answer = await world.WaitForAnswerAsync(kitchen.Id, "Pineapple belongs on pizza.");

        // Events of one channel are handled in order: the first message was decided before the second was answered.
        Assert.Single(world.BotMessages(kitchen.Id));
        Assert.NotEqual(ignored.Id, answer.ReplyToMessageId);
        Assert.DoesNotContain(world.Llm.Requests, r => r.LastUserText.Contains("cook tonight", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_message_mode_answers_without_a_mention_and_mention_mode_does_not()
    {
        await using var world = await BotWorld.CreateAsync();
        var chat = world.Discord.CreateChannel(world.Guild.Id, "ask-anything");
        world.Set($"Bot:Triggers:Channels:{BotWorld.Id(chat.Id)}:Mode", "Every");
        await world.StartBotAsync();
        world.Llm.Script("plain question", "Plain answer.");
        world.Llm.Script("marker message", "Marker answer.");

        await world.SayAsync(world.General, world.Bob, "plain question in general");
        await world.SayAsync(chat, world.Alice, "plain question in ask-anything");
        await world.WaitForAnswerAsync(chat.Id, "Plain answer.");
        await world.SayAsync(world.General, world.Alice, $"{world.Mention} marker message");
        await world.WaitForAnswerAsync(world.General.Id, "Marker answer.");

        Assert.Single(world.BotMessages(world.General.Id));
    }

    [Fact]
    public async Task A_text_attachment_is_read_into_the_prompt()
    {
        await using var world = await BotWorld.CreateAsync();
        await world.StartBotAsync();
        world.Llm.Script("summarise the file", "It is a shopping list.");
        var options = new PostMessageOptions();
        options.Attachments.Add(new EmulatedAttachmentInput("list.txt", "text/plain", "eggs, flour, unusual-marker-42"u8.ToArray()));

        await world.Discord.PostMessageAsync(world.General.Id, world.Alice.Id, $"{world.Mention} summarise the file", options, BotWorld.Token);
        await world.WaitForAnswerAsync(world.General.Id, "It is a shopping list.");

        Assert.Contains("unusual-marker-42", world.RequestContaining("summarise the file")!.RawBody, StringComparison.Ordinal);
    }
}
