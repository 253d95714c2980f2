using Cordial.Bot.Conversations;
using Cordial.Bot.Messages;
using Cordial.Bot.Permissions;
using Cordial.Bot.Responding;
using Cordial.Bot.Settings;
using Cordial.Bot.Triggers;
using Cordial.Llm;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using static Cordial.Bot.Tests.Conversations.FakeDiscordHistory;

namespace Cordial.Bot.Tests.Responding;

public sealed class MessageResponderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_mention_is_answered_in_a_reply_that_pings_nobody_and_the_answer_is_remembered()
    {
        await using var bot = new ResponderHarness();

        var question = await bot.SayAsync(General, 1, "hello there", mention: true);
        await bot.IdleAsync();

        var reply = Assert.Single(bot.Surfaces.In(General.Id));
        Assert.Equal("You said: user1: hello there", reply.Text);
        Assert.Equal(question.Id, reply.ReplyTo);
        Assert.True(reply.AllowedMentionsNone);
        var stored = bot.Store.Nodes[reply.Id];
        Assert.Equal((NodeRole.Assistant, question.Id, "You said: user1: hello there"), (stored.Role, stored.ParentId, stored.Text));
    }

    [Fact]
    public async Task A_reply_waiting_for_Discord_keeps_neither_its_prompt_nor_its_conversation()
    {
        await using var bot = new ResponderHarness();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bot.Surfaces.Hold = () => release.Task; // the answer's message waits, as behind Discord's saturated global limit
        bot.Chat.RecordCalls = false;
        var systemPrompt = new WeakReference<object?>(null);
        bot.Chat.Received = messages => systemPrompt.SetTarget(messages[0].Contents.OfType<TextContent>().First().Text);

        await bot.SayAsync(General, 1, "hello there", mention: true);

        // The answer is read; what the reply was prepared from (settings, conversation, system prompt) must not wait with
        // it, for the seconds a saturated global limit can take: ~1,000 replies wait at once in the load test.
        await Eventually.UntilAsync(
            () =>
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                return bot.Chat.MaxConcurrentCalls == 1 && !systemPrompt.TryGetTarget(out _);
            },
            "the system prompt to be collected while the reply waits");
        Assert.Empty(bot.Surfaces.Messages);

        release.SetResult();
        await bot.IdleAsync();
        Assert.Equal("You said: user1: hello there", Assert.Single(bot.Surfaces.In(General.Id)).Text);
    }

    [Fact]
    public async Task Replying_to_the_answer_continues_the_conversation()
    {
        await using var bot = new ResponderHarness();
        await bot.SayAsync(General, 1, "my name is Ana", mention: true);
        await bot.IdleAsync();
        var answer = bot.Surfaces.In(General.Id)[0];

        await bot.SayAsync(General, 1, "what is my name?", replyTo: answer.Id, replyToAuthor: BotId);
        await bot.IdleAsync();

        var prompt = bot.Chat.Calls[^1].Messages;
        Assert.Equal(
            [ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.User],
            prompt.Select(m => m.Role));
        Assert.Equal("user1: my name is Ana", prompt[1].Text);
        Assert.Equal("You said: user1: my name is Ana", prompt[2].Text);
    }

    [Fact]
    public async Task Messages_that_do_not_trigger_or_are_refused_get_no_answer()
    {
        await using var bot = new ResponderHarness();
        bot.UseRules(access: new AccessOptions { BlockedUserIds = [2] });

        await bot.SayAsync(General, 1, "just chatting");
        await bot.SayAsync(General, 2, "hey bot", mention: true);
        var fromBot = bot.Discord.Say(General, 5, "from another bot", mention: true) with { Author = new MessageAuthor(5, "otherbot", IsBot: true) };
        await bot.Responder.HandleAsync(fromBot, Ct);
        await bot.IdleAsync();

        Assert.Empty(bot.Chat.Calls);
        Assert.Empty(bot.Surfaces.Messages);
    }

    [Fact]
    public async Task A_second_message_while_the_first_still_waits_is_merged_into_one_request()
    {
        await using var bot = new ResponderHarness();
        var firstCallStarted = new TaskCompletionSource();
        bot.Chat.Respond = (messages, _, ct) =>
        {
            if (bot.Chat.Calls.Count == 1)
            {
                firstCallStarted.TrySetResult();
                return ScriptedChatClient.Hang(ct); // the model has not answered yet
            }

            return ScriptedChatClient.Words("merged answer", ct);
        };

        var first = await bot.SayAsync(General, 1, "explain monads", mention: true);
        await firstCallStarted.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var second = await bot.SayAsync(General, 1, "in Python please"); // no mention: it merges because the first still waits
        await bot.IdleAsync();

        var reply = Assert.Single(bot.Surfaces.In(General.Id));
        Assert.Equal("merged answer", reply.Text);
        Assert.Equal(second.Id, reply.ReplyTo);
        Assert.Equal(2, bot.Chat.Calls.Count);
        Assert.Equal(1, bot.Chat.MaxConcurrentCalls);
        var prompt = bot.Chat.Calls[1].Messages;
        Assert.Equal("user1: explain monads\n\nin Python please", prompt[^1].Text);
        Assert.Equal(first.Id, bot.Store.Nodes[second.Id].ParentId);
    }

    [Fact]
    public async Task A_message_after_the_answer_became_visible_waits_its_turn_and_is_never_concurrent()
    {
        await using var bot = new ResponderHarness();
        var release = new TaskCompletionSource();
        var firstVisible = new TaskCompletionSource();
        bot.Chat.Respond = (messages, _, ct) => bot.Chat.Calls.Count == 1 ? SlowFirst(ct) : ScriptedChatClient.Words("second answer", ct);

        async IAsyncEnumerable<ChatResponseUpdate> SlowFirst([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, "first");
            firstVisible.TrySetResult();
            await release.Task.WaitAsync(ct);
            yield return new ChatResponseUpdate(ChatRole.Assistant, " answer");
        }

        await bot.SayAsync(General, 1, "one", mention: true);
        await firstVisible.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await Eventually.UntilAsync(() => bot.Surfaces.In(General.Id).Count == 1, "the first answer to be visible");
        await bot.SayAsync(General, 1, "two", mention: true);
        release.SetResult();
        await bot.IdleAsync();

        Assert.Equal(["first answer", "second answer"], bot.Surfaces.In(General.Id).Select(m => m.Text));
        Assert.Equal(1, bot.Chat.MaxConcurrentCalls);
    }

    [Fact]
    public async Task A_user_is_never_locked_out_after_a_hang_that_times_out()
    {
        await using var bot = new ResponderHarness(new RespondingOptions { MaxReplyDuration = TimeSpan.FromMilliseconds(300) });
        bot.Chat.Respond = (messages, _, ct) => bot.Chat.Calls.Count == 1 ? ScriptedChatClient.Hang(ct) : ScriptedChatClient.Words("I am back", ct);

        await bot.SayAsync(Dm, 1, "are you there?");
        await bot.IdleAsync(); // the hung answer ends at MaxReplyDuration and frees the slot
        await bot.SayAsync(Dm, 1, "hello?", mention: true);
        await bot.IdleAsync();

        Assert.Equal("I am back", bot.Surfaces.In(Dm.Id)[^1].Text);
    }

    [Fact]
    public async Task An_answer_that_runs_out_of_time_ends_with_what_was_said_and_a_reason_and_a_warning_naming_the_setting()
    {
        await using var bot = new ResponderHarness(new RespondingOptions { MaxReplyDuration = TimeSpan.FromMilliseconds(300) });
        bot.Chat.Respond = (messages, _, ct) => SayThenHang("Half an answer", ct);

        static async IAsyncEnumerable<ChatResponseUpdate> SayThenHang(string text, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, text);
            await Task.Delay(Timeout.Infinite, ct);
        }

        await bot.SayAsync(Dm, 1, "tell me everything");
        await bot.IdleAsync();

        var shown = Assert.Single(bot.Surfaces.In(Dm.Id)).Text;
        Assert.StartsWith("Half an answer\n\n\u26A0\uFE0F ", shown, StringComparison.Ordinal);
        Assert.Contains("took too long", shown, StringComparison.Ordinal);
        var entry = Assert.Single(bot.ResponderLog.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal((LogLevel.Warning, 3), (entry.Level, entry.EventId.Id));
        Assert.DoesNotContain(bot.CoordinatorLog.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal(1, bot.Stats.RepliesFailed);
    }

    [Fact]
    public async Task Shutting_down_stops_an_answer_in_progress_without_counting_it_failed()
    {
        var bot = new ResponderHarness(); // the default time limit (10 minutes): only shutdown can end this answer
        var cancelled = new TaskCompletionSource();
        bot.Chat.Respond = (messages, _, ct) =>
        {
            ct.UnsafeRegister(_ => cancelled.TrySetResult(), null);
            return ScriptedChatClient.Hang(ct);
        };

        await bot.SayAsync(Dm, 1, "are you there?");
        await Eventually.UntilAsync(() => bot.Chat.Calls.Count == 1, "the model to be asked");
        await bot.DisposeAsync();

        Assert.True(cancelled.Task.IsCompleted, "shutdown cancels the model call");
        Assert.Equal(0, bot.Coordinator.ActiveSlots);
        Assert.Equal(0, bot.Stats.RepliesFailed);
        Assert.DoesNotContain(bot.ResponderLog.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_model_failure_is_shown_to_the_user_and_the_next_message_works()
    {
        await using var bot = new ResponderHarness();
        bot.Chat.Respond = (messages, _, ct) => bot.Chat.Calls.Count == 1
            ? Fail(ct)
            : ScriptedChatClient.Words("fine now", ct);

        static async IAsyncEnumerable<ChatResponseUpdate> Fail([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            await Task.Yield();
            ct.ThrowIfCancellationRequested();
            throw new LlmProviderException(LlmFailureKind.ProviderUnavailable, "upstream 503") { StatusCode = 503 };
#pragma warning disable CS0162 // an iterator needs a yield
            yield break;
#pragma warning restore CS0162
        }

        await bot.SayAsync(General, 1, "first", mention: true);
        await bot.IdleAsync();
        await bot.SayAsync(General, 1, "second", mention: true);
        await bot.IdleAsync();

        var messages = bot.Surfaces.In(General.Id);
        Assert.Equal(2, messages.Count);
        Assert.Contains("⚠", messages[0].Text, StringComparison.Ordinal);
        Assert.Equal("fine now", messages[1].Text);
    }

    /// <summary>One update of <paramref name="text"/>, as the fallback stage sends it when "backup" answered for "main".</summary>
    private static async IAsyncEnumerable<ChatResponseUpdate> AnsweredByBackup(string text, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        ct.ThrowIfCancellationRequested();
        yield return new ChatResponseUpdate(ChatRole.Assistant, text)
        {
            ModelId = "backup",
            AdditionalProperties = new() { [MessageResponder.FallbackFromProperty] = "main" },
        };
    }

    [Fact]
    public async Task A_fallback_answer_says_which_model_answered()
    {
        await using var bot = new ResponderHarness();
        bot.Chat.Respond = (_, _, ct) => AnsweredByBackup("fine", ct);

        await bot.SayAsync(General, 1, "hi", mention: true);
        await bot.IdleAsync();

        var messages = bot.Surfaces.In(General.Id);
        Assert.Equal("fine", messages[0].Text);
        Assert.Equal("-# ⚠️ Answered by backup because main was unavailable.", messages[1].Text);
        Assert.Equal(Cordial.Llm.Fallback.FallbackChatClient.FallbackFromProperty, MessageResponder.FallbackFromProperty);
    }

    [Fact]
    public async Task Replying_to_the_note_under_an_answer_continues_that_answer_without_reading_discord()
    {
        await using var bot = new ResponderHarness();
        bot.Chat.Respond = (_, _, ct) => AnsweredByBackup("the answer", ct);

        await bot.SayAsync(General, 1, "first question", mention: true);
        await bot.IdleAsync();
        var note = bot.Surfaces.In(General.Id)[1];
        Assert.StartsWith("-# ⚠️", note.Text, StringComparison.Ordinal);
        var fetches = bot.Discord.Fetches;

        bot.Chat.Respond = (_, _, ct) => ScriptedChatClient.Words("ok", ct);
        await bot.SayAsync(General, 1, "and then?", replyTo: note.Id, replyToAuthor: BotId);
        await bot.IdleAsync();

        Assert.Equal(fetches, bot.Discord.Fetches);
        var prompt = bot.Chat.Calls[^1].Messages;
        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.User], prompt.Select(m => m.Role));
        Assert.Equal("the answer", prompt[2].Text); // the note itself is not shown to the model
        Assert.DoesNotContain(bot.Surfaces.In(General.Id), m => m.Text.Contains("could not be read", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_channel_model_set_with_a_command_is_used()
    {
        await using var bot = new ResponderHarness();
        await bot.Settings.SetAsync(General.Id, new ChannelSettings(Model: "sim-vision", Persona: "Talk like a pirate."), Ct);

        await bot.SayAsync(General, 1, "ahoy", mention: true);
        await bot.IdleAsync();

        Assert.Equal("sim-vision", bot.Chat.Calls[0].Options!.ModelId);
        Assert.Equal(General.GuildId, bot.Chat.Calls[0].Options!.AdditionalProperties![MessageResponder.GuildIdProperty]);
        Assert.Equal(Cordial.Llm.Caching.ResponseCachingChatClient.GuildIdProperty, MessageResponder.GuildIdProperty);
        Assert.Equal(1UL, bot.Chat.Calls[0].Options!.AdditionalProperties![MessageResponder.UserIdProperty]);
        Assert.Equal(Cordial.Llm.Quotas.QuotaChatClient.UserIdProperty, MessageResponder.UserIdProperty);
        Assert.EndsWith("Talk like a pirate.", bot.Chat.Calls[0].Messages[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_open_thread_channel_answers_a_new_conversation_in_a_new_thread()
    {
        await using var bot = new ResponderHarness();
        bot.UseRules(triggers: new TriggerOptions { Channels = { [General.Id] = new ChannelTriggerOptions { OpenThread = true } } });

        var question = await bot.SayAsync(General, 1, "plan my week", mention: true);
        await bot.IdleAsync();

        var thread = Assert.Single(bot.Surfaces.Threads);
        Assert.Equal(question.Id, thread.Id);
        var reply = Assert.Single(bot.Surfaces.In(thread.Id));
        Assert.Null(reply.ReplyTo);
        Assert.Empty(bot.Surfaces.In(General.Id));
    }

    [Fact]
    public async Task Many_users_at_once_each_get_exactly_one_answer()
    {
        await using var bot = new ResponderHarness();

        await Parallel.ForAsync(1, 101, Ct, async (user, _) => await bot.SayAsync(General, (ulong)user, $"question {user}", mention: true));
        await bot.IdleAsync();

        var replies = bot.Surfaces.In(General.Id);
        Assert.Equal(100, replies.Count);
        Assert.Equal(Enumerable.Range(1, 100).Select(u => $"You said: user{u}: question {u}").Order(), replies.Select(r => r.Text).Order());
    }
}
