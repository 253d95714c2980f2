using System.Net;
using System.Text.Json;
using Cordial.Hosting;

namespace Cordial.Integration.Tests;

/// <summary>GET /stats and POST /stats/reset on the running bot, fed by real messages through both emulators.</summary>
public sealed class StatsTests
{
    private static async Task<JsonElement> StatsAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/stats", BotWorld.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(BotWorld.Token));
        return document.RootElement.Clone();
    }

    private static long Count(JsonElement stats, string histogram) =>
        stats.GetProperty("overhead").GetProperty(histogram).GetProperty("count").GetInt64();

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)] // IPv4 loopback through a dual-stack socket
    [InlineData("10.0.0.7", false)]
    [InlineData("::ffff:10.0.0.7", false)]
    [InlineData("2001:db8::1", false)]
    public void Only_callers_on_this_machine_may_reset_the_figures(string remote, bool allowed)
    {
        Assert.Equal(allowed, StatsApi.MayReset(IPAddress.Parse(remote)));
    }

    [Fact]
    public async Task Stats_count_the_mentions_measure_the_overhead_and_reset_zeroes_them()
    {
        await using var world = await BotWorld.CreateAsync();
        var bot = await world.StartBotAsync();
        using var http = new HttpClient { BaseAddress = bot.Address };
        world.Llm.Script("first question", "First answer.");
        world.Llm.Script("second question", "Second answer.");
        world.Llm.Script("third question", "Third answer.");
        var carol = world.Discord.CreateUser("carol");
        world.Discord.AddMember(world.Guild.Id, carol.Id);

        await world.SayAsync(world.General, world.Alice, $"{world.Mention} first question");
        await world.SayAsync(world.General, world.Bob, $"{world.Mention} second question");
        await world.WaitForAnswerAsync(world.General.Id, "First answer.");
        await world.SayAsync(world.General, carol, $"{world.Mention} third question"); // a third user: nobody waits behind an answer
        await world.WaitForAnswerAsync(world.General.Id, "Second answer.");
        await world.WaitForAnswerAsync(world.General.Id, "Third answer.");

        var stats = await Eventually.UntilAsync(() => StatsAsync(http).Result, s => s.GetProperty("repliesCompleted").GetInt64() == 3, "three completed replies in /stats");
        Assert.Equal(3, stats.GetProperty("messagesReceived").GetInt64()); // the bot's own messages are not counted
        Assert.Equal(0, stats.GetProperty("repliesFailed").GetInt64());
        Assert.True(stats.GetProperty("uptimeSeconds").GetDouble() > 0);

        var toRequest = stats.GetProperty("overhead").GetProperty("messageToRequest");
        Assert.Equal(3, toRequest.GetProperty("count").GetInt64());
        var p50 = toRequest.GetProperty("p50Us").GetDouble();
        var p99 = toRequest.GetProperty("p99Us").GetDouble();
        Assert.True(p50 > 0, "p50 > 0");
        Assert.True(p99 >= p50 && toRequest.GetProperty("maxUs").GetDouble() >= p99, "p50 ≤ p99 ≤ max");
        var buckets = toRequest.GetProperty("buckets").EnumerateArray().ToList();
        Assert.NotEmpty(buckets);
        Assert.Equal(3, buckets.Sum(b => b.GetProperty("count").GetInt64()));
        Assert.All(buckets, b => Assert.True(b.GetProperty("leUs").GetDouble() > 0));

        var toDiscord = stats.GetProperty("overhead").GetProperty("tokenToDiscord");
        Assert.True(toDiscord.GetProperty("count").GetInt64() >= 3, "every reply's first message was measured");
        Assert.True(toDiscord.GetProperty("p99Us").GetDouble() > 0);

        var process = stats.GetProperty("process");
        Assert.True(process.GetProperty("cpuSeconds").GetDouble() > 0);
        Assert.True(process.GetProperty("workingSetBytes").GetInt64() > 0);
        Assert.True(process.GetProperty("peakWorkingSetBytes").GetInt64() > 0);
        Assert.True(process.GetProperty("allocatedBytes").GetInt64() > 0);
        Assert.True(process.GetProperty("threadPoolThreads").GetInt32() > 0);
        Assert.True(process.GetProperty("gcPauseMs").GetDouble() >= 0);
        foreach (var generation in new[] { "gcGen0", "gcGen1", "gcGen2" })
        {
            Assert.True(process.GetProperty(generation).GetInt32() >= 0);
        }

        using var reset = await http.PostAsync("/stats/reset", content: null, BotWorld.Token);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        var after = await StatsAsync(http);
        Assert.Equal(0, after.GetProperty("messagesReceived").GetInt64());
        Assert.Equal(0, after.GetProperty("repliesCompleted").GetInt64());
        Assert.Equal(0, Count(after, "messageToRequest"));
        Assert.Equal(0, Count(after, "tokenToDiscord"));
        Assert.Empty(after.GetProperty("overhead").GetProperty("messageToRequest").GetProperty("buckets").EnumerateArray());
        Assert.True(after.GetProperty("process").GetProperty("cpuSeconds").GetDouble() > 0, "process figures are not reset");

        // And the figures start again from zero. A fresh user: Bob's earlier answer may still be finishing (stored,
        // counted), and a message that waits behind its author's own answer is deliberately left out of the figure.
        world.Llm.Script("fourth question", "Fourth answer.");
        var dave = world.Discord.CreateUser("dave");
        world.Discord.AddMember(world.Guild.Id, dave.Id);
        await world.SayAsync(world.General, dave, $"{world.Mention} fourth question");
        await world.WaitForAnswerAsync(world.General.Id, "Fourth answer.");
        var again = await Eventually.UntilAsync(() => StatsAsync(http).Result, s => s.GetProperty("repliesCompleted").GetInt64() == 1, "one reply after the reset");
        Assert.Equal(1, again.GetProperty("messagesReceived").GetInt64());
        Assert.Equal(1, Count(again, "messageToRequest"));
    }

    [Fact]
    public void Peak_memory_is_read_from_the_VmHWM_line()
    {
        Assert.Equal(123_456L * 1024, ProcessFigures.ReadVmHwm(["Name:\tcordial", "VmPeak:\t  999999 kB", "VmHWM:\t  123456 kB", "VmRSS:\t 100000 kB"]));
        Assert.Null(ProcessFigures.ReadVmHwm(["VmRSS:\t 100000 kB"]));
        Assert.Null(ProcessFigures.ReadVmHwm(["VmHWM:\t garbage"]));
        Assert.True(ProcessFigures.Read().PeakWorkingSetBytes > 0);
    }
}
