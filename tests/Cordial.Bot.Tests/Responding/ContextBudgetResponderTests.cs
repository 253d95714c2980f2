using Cordial.Bot.Conversations;
using Cordial.Bot.Prompting;
using Microsoft.Extensions.AI;
using static Cordial.Bot.Tests.Conversations.FakeDiscordHistory;

namespace Cordial.Bot.Tests.Responding;

/// <summary>The context budget seen from the responder: prompts fit, users are told, summaries never get in the way.</summary>
public sealed class ContextBudgetResponderTests
{
    private static string Long(int i) => $"q{i} " + string.Join(' ', Enumerable.Repeat("word", 150));

    /// <summary>The user replies to each answer in turn: one conversation, alternating user and bot.</summary>
    private static async Task TalkAsync(ResponderHarness bot, int first, int count)
    {
        for (var i = first; i < first + count; i++)
        {
            var previous = bot.Surfaces.In(Dm.Id).LastOrDefault(m => !m.Text.StartsWith("-# ", StringComparison.Ordinal));
            await bot.SayAsync(Dm, 1, Long(i), replyTo: previous?.Id, replyToAuthor: previous is null ? null : BotId);
            await bot.IdleAsync();
        }
    }

    private static bool IsSummaryRequest(IReadOnlyList<ChatMessage> messages) =>
        messages[0].Text.StartsWith("You summarize", StringComparison.Ordinal);

    private static List<IReadOnlyList<ChatMessage>> AnswerCalls(ResponderHarness bot)
    {
        lock (bot.Chat.Calls)
        {
            return [.. bot.Chat.Calls.Select(c => c.Messages).Where(m => !IsSummaryRequest(m))];
        }
    }

    [Fact]
    public async Task A_failing_summarizer_leaves_the_answers_untouched_and_users_see_only_the_trim_warning()
    {
        await using var bot = new ResponderHarness(conversations: new ConversationOptions { MaxPromptTokens = 1_000 });
        var answer = bot.Chat.Respond;
        bot.Chat.Respond = (messages, options, ct) => IsSummaryRequest(messages) ? throw new HttpRequestException("provider down") : answer(messages, options, ct);

        await TalkAsync(bot, 0, 5);

        await Eventually.UntilAsync(() => bot.Summarizer.Failed >= 1 && bot.Summarizer.Pending == 0, "the summary to fail");
        var sent = bot.Surfaces.In(Dm.Id);
        var answers = sent.Where(m => !m.Text.StartsWith("-# ", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, answers.Count);
        Assert.All(answers.Select((m, i) => (m, i)), x => Assert.Equal("You said: " + Long(x.i), x.m.Text));
        var warnings = sent.Where(m => m.Text.StartsWith("-# ", StringComparison.Ordinal)).Select(m => m.Text).ToList();
        Assert.NotEmpty(warnings);
        Assert.All(warnings, w => Assert.Contains("left out to fit the model's context", w, StringComparison.Ordinal));
        Assert.DoesNotContain(sent, m => m.Text.Contains("provider down", StringComparison.Ordinal) || m.Text.Contains("summar", StringComparison.OrdinalIgnoreCase));

        var last = AnswerCalls(bot)[^1];
        Assert.DoesNotContain(last, m => m.Text.Contains(Long(0), StringComparison.Ordinal));
        Assert.Contains(Long(4), last[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Once_a_summary_exists_the_next_prompt_carries_it_in_place_of_the_old_turns()
    {
        await using var bot = new ResponderHarness(conversations: new ConversationOptions { MaxPromptTokens = 1_000 });
        var answer = bot.Chat.Respond;
        bot.Chat.Respond = (messages, options, ct) =>
            IsSummaryRequest(messages) ? ScriptedChatClient.Words("SUMMARY-OF-EARLIER-TURNS", ct) : answer(messages, options, ct);

        await TalkAsync(bot, 0, 4);
        await Eventually.UntilAsync(() => !bot.Summaries.Summaries.IsEmpty && bot.Summarizer.Pending == 0, "a summary");
        await TalkAsync(bot, 4, 1);

        var last = AnswerCalls(bot)[^1];
        Assert.Equal(ChatRole.System, last[1].Role);
        Assert.Equal(PromptBuilder.SummaryPrefix + "SUMMARY-OF-EARLIER-TURNS", last[1].Text);
        Assert.DoesNotContain(last, m => m.Text.Contains(Long(0), StringComparison.Ordinal));
        Assert.Contains(bot.Surfaces.In(Dm.Id), m => m.Text.Contains("replaced by a summary", StringComparison.Ordinal));
    }
}
