using Cordial.Bot.Responding;
using Cordial.Bot.Tests.Responding;
using Cordial.Llm;
using Microsoft.Extensions.AI;
using static Cordial.Bot.Tests.Conversations.FakeDiscordHistory;

namespace Cordial.Bot.Tests.Diagnostics;

/// <summary>What the responder records into <see cref="Cordial.Bot.Diagnostics.BotStats"/>.</summary>
public sealed class ResponderStatsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Action? RequestStarted(ChatOptions? options) =>
        options?.AdditionalProperties?.GetValueOrDefault(MessageResponder.RequestStartedProperty) as Action;

    /// <summary>A user writes a message carrying the moment its gateway frame was read.</summary>
    private static async Task SayReceivedAsync(ResponderHarness bot, ulong author, string content, bool mention)
    {
        var message = bot.Discord.Say(General, author, content, null, mention) with { ReceivedTimestamp = bot.Stats.Time.GetTimestamp() };
        await bot.Responder.HandleAsync(message, Ct);
    }

    [Fact]
    public async Task Every_message_is_counted_and_an_answer_carries_a_request_callback_that_records_once()
    {
        await using var bot = new ResponderHarness();
        bot.Chat.Respond = (messages, options, ct) =>
        {
            // What the model router does: call back just before each provider call (here twice, like a retry).
            RequestStarted(options)?.Invoke();
            RequestStarted(options)?.Invoke();
            return ScriptedChatClient.Words("an answer", ct);
        };

        await SayReceivedAsync(bot, 1, "just chatting", mention: false);
        await SayReceivedAsync(bot, 1, "hello", mention: true);
        await bot.IdleAsync();
        await SayReceivedAsync(bot, BotId, "the bot's own message", mention: false);

        Assert.NotNull(RequestStarted(Assert.Single(bot.Chat.Calls).Options));
        Assert.Equal(2, bot.Stats.MessagesReceived);
        Assert.Equal(1, bot.Stats.MessageToRequest.Snapshot().Count);
        Assert.Equal(1, bot.Stats.RepliesCompleted);
        Assert.Equal(0, bot.Stats.RepliesFailed);
        Assert.True(bot.Stats.TokenToDiscord.Snapshot().Count >= 1, "the first Discord message was measured");
    }

    [Fact]
    public async Task A_message_without_a_gateway_timestamp_is_not_measured()
    {
        await using var bot = new ResponderHarness();
        await bot.SayAsync(General, 1, "hello", mention: true); // ReceivedTimestamp 0: fetched, or a /chat prompt
        await bot.IdleAsync();

        Assert.Null(RequestStarted(Assert.Single(bot.Chat.Calls).Options));
        Assert.Equal(1, bot.Stats.RepliesCompleted);
    }

    [Fact]
    public async Task A_message_that_waited_behind_the_same_users_answer_is_left_out_of_the_overhead()
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

        await SayReceivedAsync(bot, 1, "one", mention: true);
        await firstVisible.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await Eventually.UntilAsync(() => bot.Surfaces.In(General.Id).Count == 1, "the first answer to be visible");
        await SayReceivedAsync(bot, 1, "two", mention: true);
        release.SetResult();
        await bot.IdleAsync();

        Assert.Equal(2, bot.Chat.Calls.Count);
        Assert.NotNull(RequestStarted(bot.Chat.Calls[0].Options));
        Assert.Null(RequestStarted(bot.Chat.Calls[1].Options));
        Assert.Equal(2, bot.Stats.RepliesCompleted);
    }

    [Fact]
    public async Task Failed_replies_are_counted_as_failed()
    {
        await using var bot = new ResponderHarness(new RespondingOptions { MaxReplyDuration = TimeSpan.FromMilliseconds(300) });
        bot.Chat.Respond = (messages, _, ct) => bot.Chat.Calls.Count == 1 ? Fail(ct) : ScriptedChatClient.Hang(ct);

        static async IAsyncEnumerable<ChatResponseUpdate> Fail([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            await Task.Yield();
            ct.ThrowIfCancellationRequested();
            throw new LlmProviderException(LlmFailureKind.ProviderUnavailable, "upstream 503") { StatusCode = 503 };
#pragma warning disable CS0162 // an iterator needs a yield
            yield break;
#pragma warning restore CS0162
        }

        await bot.SayAsync(General, 1, "first", mention: true); // the model fails: a reason is shown
        await bot.IdleAsync();
        await bot.SayAsync(General, 1, "second", mention: true); // the model hangs past MaxReplyDuration
        await bot.IdleAsync();

        Assert.Equal(0, bot.Stats.RepliesCompleted);
        Assert.Equal(2, bot.Stats.RepliesFailed);
    }
}
