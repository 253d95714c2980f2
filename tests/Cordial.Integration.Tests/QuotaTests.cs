using System.Text.RegularExpressions;

namespace Cordial.Integration.Tests;

/// <summary>Quotas through the real bot and both emulators: the refusal reaches Discord, and counts survive a restart.</summary>
public sealed partial class QuotaTests
{
    [Fact]
    public async Task A_user_over_the_per_minute_quota_is_told_in_discord_when_to_ask_again_and_others_still_get_answers()
    {
        await using var world = await BotWorld.CreateAsync();
        world.Set("Llm:Quotas:User:RequestsPerMinute", 1);
        await world.StartBotAsync();
        world.Llm.Script("quota-first", "First answer.");
        world.Llm.Script("quota-bob", "Bob's answer.");

        await world.SayAsync(world.General, world.Alice, $"{world.Mention} quota-first question");
        await world.WaitForAnswerAsync(world.General.Id, "First answer.");
        await world.SayAsync(world.General, world.Alice, $"{world.Mention} quota-second question");
        var refusal = await Eventually.UntilAsync(
            () => world.BotMessages(world.General.Id).FirstOrDefault(m => m.Content.Contains("per-minute request limit", StringComparison.Ordinal)),
            m => m is not null,
            "the bot to tell Alice about her quota",
            TimeSpan.FromSeconds(30));
        await world.SayAsync(world.General, world.Bob, $"{world.Mention} quota-bob question");
        await world.WaitForAnswerAsync(world.General.Id, "Bob's answer.");

        Assert.Matches(RelativeTimestamp(), refusal!.Content);
        Assert.Contains("You have reached your per-minute request limit", refusal.Content, StringComparison.Ordinal);
        Assert.Null(world.RequestContaining("quota-second")); // never reached the model
    }

    [Fact]
    public async Task A_daily_quota_used_before_a_restart_still_counts_after_it()
    {
        await using var world = await BotWorld.CreateAsync();
        world.Set("Llm:Quotas:User:RequestsPerDay", 1);
        await world.StartBotAsync();
        world.Llm.Script("daily-first", "Today's answer.");

        await world.SayAsync(world.General, world.Alice, $"{world.Mention} daily-first question");
        await world.WaitForAnswerAsync(world.General.Id, "Today's answer.");
        await world.StopBotAsync();
        await world.StartBotAsync();
        await world.SayAsync(world.General, world.Alice, $"{world.Mention} daily-second question");

        await Eventually.UntilAsync(
            () => world.BotMessages(world.General.Id).Any(m => m.Content.Contains("daily request limit", StringComparison.Ordinal)),
            "the restarted bot to refuse Alice's second question of the day",
            TimeSpan.FromSeconds(30));
        Assert.Null(world.RequestContaining("daily-second"));
    }

    [GeneratedRegex(@"<t:\d+:R>")]
    private static partial Regex RelativeTimestamp();
}
