using System.Globalization;
using System.Text;
using Cordial.Bot.Delivery;
using Cordial.Emulator.Discord;
using Cordial.Emulator.Llm;

namespace Cordial.Integration.Tests;

/// <summary>Streamed delivery through the real REST client into the emulator: splitting, rate limits, failures.</summary>
public sealed class DeliveryTests
{
    /// <summary>About 10,000 characters of prose with fenced code blocks, some longer than one Discord message.</summary>
    private static string LongAnswerWithCode()
    {
        var text = new StringBuilder();
        var section = 0;
        while (text.Length < 10_000)
        {
            section++;
            text.Append(CultureInfo.InvariantCulture, $"Part {section}: here is how the loop works, explained step by step with care and detail.\n\n");
            text.Append("```csharp\n");
            var lines = section % 3 == 0 ? 70 : 12;
            for (var i = 0; i < lines; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"for (var i{i} = 0; i{i} < {section * 10 + i}; i{i}++) {{ total += i{i}; }}\n");
            }

            text.Append("```\n\n");
        }

        text.Append("That is all.");
        return text.ToString();
    }

    [Fact]
    public async Task A_ten_thousand_character_answer_with_code_is_split_and_put_back_together_exactly()
    {
        var answer = LongAnswerWithCode();
        Assert.InRange(answer.Length, 10_000, 12_000);
        await using var world = await BotWorld.CreateAsync(behavior: new LlmBehavior { TimeToFirstToken = TimeSpan.FromMilliseconds(20), TokensPerSecond = 2000 });
        await world.StartBotAsync();
        world.Llm.Script("long answer please", answer);

        await world.SayAsync(world.General, world.Alice, $"{world.Mention} long answer please");
        await world.WaitForJoinedAnswerAsync(world.General.Id, answer, TimeSpan.FromSeconds(90));

        var parts = world.BotMessages(world.General.Id);
        Assert.True(parts.Count >= 6, $"expected at least 6 parts, got {parts.Count}");
        Assert.All(parts, p => Assert.InRange(p.Content.Length, 1, MessageSplitter.PlainLimit));
        Assert.All(parts, p => Assert.True(p.Content.Split("```").Length % 2 == 1, "every part has balanced code fences"));
        Assert.Equal(0, world.Discord.GetStats(world.Bot.User.Id).TooManyRequests);
    }

    /// <summary>200 questions at once, 10 users in each of 20 fresh channels; returns the emulator's counters once all
    /// 200 answers are complete.</summary>
    private static async Task<(EmulatorStats Stats, string RateLimitLog, int Requests)> TwoHundredConcurrentRepliesAsync()
    {
        await using var world = await BotWorld.CreateAsync(behavior: new LlmBehavior { TimeToFirstToken = TimeSpan.FromMilliseconds(50), TokensPerSecond = 400, Answer = LlmAnswerMode.Echo });
        var channels = Enumerable.Range(0, 20).Select(i => world.Discord.CreateChannel(world.Guild.Id, $"load-{i}")).ToList();
        var users = Enumerable.Range(0, 10).Select(i => world.Discord.CreateUser($"user{i}")).ToList();
        foreach (var user in users)
        {
            world.Discord.AddMember(world.Guild.Id, user.Id);
        }

        var logs = new CapturedLogs();
        await world.StartBotAsync(logs);

        var questions = new List<(ulong Channel, string Marker)>();
        var posts = new List<Task>();
        foreach (var channel in channels)
        {
            foreach (var user in users)
            {
                var marker = $"q-{channel.Name}-{user.Username}";
                questions.Add((channel.Id, marker));
                posts.Add(world.SayAsync(channel, user, $"{world.Mention} {marker} please answer this one"));
            }
        }

        await Task.WhenAll(posts);
        await Eventually.UntilAsync(
            () => questions.Count(q => world.BotMessages(q.Channel).Any(m => m.Content.StartsWith(LlmEmulator.EchoPrefix, StringComparison.Ordinal) && m.Content.Contains(q.Marker + " please answer this one", StringComparison.Ordinal))),
            answered => answered == questions.Count,
            "all 200 answers to be complete",
            TimeSpan.FromSeconds(100));
        var rateLimited = logs.Entries.Where(e => e.Text.Contains("rate limit hit", StringComparison.Ordinal)).Select(e => e.Text);
        return (world.Discord.GetStats(world.Bot.User.Id), string.Join("\n", rateLimited), world.Llm.Requests.Count);
    }

    [Fact]
    public async Task Two_hundred_concurrent_replies_in_twenty_channels_draw_no_429()
    {
        var (stats, rateLimitLog, requests) = await TwoHundredConcurrentRepliesAsync();

        Assert.Equal(200, requests);
        Assert.Equal(0, stats.GlobalRateLimitHits);
        Assert.True(stats.TooManyRequests == 0, $"429s: {stats}\n{rateLimitLog}");
    }

    [Fact]
    public async Task A_model_failure_is_shown_to_the_user_and_the_next_question_works()
    {
        await using var world = await BotWorld.CreateAsync();
        await world.StartBotAsync();
        world.Llm.InjectFault(new LlmFault.ServerError(503), count: 1);
        world.Llm.Script("second try", "Working again.");

        var question = await world.SayAsync(world.General, world.Alice, $"{world.Mention} first try");
        var failure = await Eventually.UntilAsync(
            () => world.BotMessages(world.General.Id) is { Count: > 0 } mine ? mine[0] : null,
            m => m is not null && m.Content.Contains("the model provider is unavailable right now", StringComparison.Ordinal),
            "the failure to be shown");
        Assert.Equal(question.Id, failure!.ReplyToMessageId);

        await world.SayAsync(world.General, world.Alice, $"{world.Mention} second try");
        await world.WaitForAnswerAsync(world.General.Id, "Working again.");
    }
}
