using Cordial.Bot.Summaries;

namespace Cordial.Integration.Tests;

/// <summary>The context budget end to end: the real bot, both emulators, a small token budget.</summary>
public sealed class ContextBudgetTests
{
    private static string Long(string tag) => $"{tag} " + string.Join(' ', Enumerable.Repeat("tomato", 140));

    [Fact]
    public async Task A_long_conversation_is_summarized_in_the_background_and_later_requests_carry_the_summary_instead_of_the_old_turns()
    {
        await using var world = await BotWorld.CreateAsync();
        world.Set("Bot:Conversations:MaxPromptTokens", 500);
        await world.StartBotAsync();
        world.Llm.Script("summarize this conversation", "SUMMARY-7Q: alice grows tomatoes.");
        world.Llm.Script("turn-one", "Noted one.");
        world.Llm.Script("turn-two", "Noted two.");
        world.Llm.Script("turn-three", "Noted three.");
        world.Llm.Script("turn-four", "Noted four.");

        var first = await world.SayAsync(world.General, world.Alice, $"{world.Mention} {Long("turn-one")}");
        var answer = await world.WaitForAnswerAsync(world.General.Id, "Noted one.");
        await world.SayAsync(world.General, world.Alice, Long("turn-two"), replyTo: answer.Id);
        answer = await world.WaitForAnswerAsync(world.General.Id, "Noted two.");
        await world.SayAsync(world.General, world.Alice, Long("turn-three"), replyTo: answer.Id);
        answer = await world.WaitForAnswerAsync(world.General.Id, "Noted three.");

        // The third turn no longer fits: the first message is left out, and summarized in the background.
        var third = world.RequestContaining("turn-three tomato")!;
        Assert.DoesNotContain("turn-one tomato", third.RawBody, StringComparison.Ordinal);
        var summaries = world.Running.Services.GetRequiredService<ISummaryStore>();
        await Eventually.UntilAsync(() => summaries.GetAsync(first.Id, BotWorld.Token).AsTask().Result is not null, "the summary to be stored");
        var request = Assert.Single(world.Llm.Requests, r => r.RawBody.Contains("Summarize this conversation", StringComparison.Ordinal));
        Assert.Contains("turn-one tomato", request.RawBody, StringComparison.Ordinal);
        Assert.Equal("sim-small", request.Model);

        await world.SayAsync(world.General, world.Alice, Long("turn-four"), replyTo: answer.Id);
        await world.WaitForAnswerAsync(world.General.Id, "Noted four.");

        var fourth = world.RequestContaining("turn-four tomato")!;
        Assert.Contains("Summary of the earlier conversation: SUMMARY-7Q: alice grows tomatoes.", fourth.RawBody, StringComparison.Ordinal);
        Assert.DoesNotContain("turn-one tomato", fourth.RawBody, StringComparison.Ordinal);
        Assert.Contains("turn-three tomato", fourth.RawBody, StringComparison.Ordinal);
        await Eventually.UntilAsync(
            () => world.BotMessages(world.General.Id).Any(m => m.Content.Contains("replaced by a summary", StringComparison.Ordinal)),
            "the note that older messages were summarized");
    }
}
