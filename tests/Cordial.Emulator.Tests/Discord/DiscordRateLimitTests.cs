using System.Net;
using System.Text.Json.Nodes;

namespace Cordial.Emulator.Tests.Discord;

public sealed class DiscordRateLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

    [Fact]
    public async Task Every_response_carries_rate_limit_headers()
    {
        var time = new ManualTimeProvider();
        await using var world = await EmulatorWorld.StartAsync(o => o.TimeProvider = time);
        var first = await world.SendMessageAsync("one");
        Assert.Equal("5", Header(first, "X-RateLimit-Limit"));
        Assert.Equal("4", Header(first, "X-RateLimit-Remaining"));
        Assert.Equal("5.000", Header(first, "X-RateLimit-Reset-After"));
        var resetAt = double.Parse(Header(first, "X-RateLimit-Reset"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(time.GetUtcNow().AddSeconds(5).ToUnixTimeMilliseconds() / 1000.0, resetAt, 3);
        var bucket = Header(first, "X-RateLimit-Bucket");
        Assert.NotEmpty(bucket);

        var id = (string)(await EmulatorWorld.ReadJsonAsync(first))["id"]!;
        var edit = await world.PatchJsonAsync($"channels/{world.Channel.Id}/messages/{id}", new JsonObject { ["content"] = "two" });
        Assert.Equal(bucket, Header(edit, "X-RateLimit-Bucket"));
        Assert.Equal("3", Header(edit, "X-RateLimit-Remaining"));

        var get = await world.Http.GetAsync($"channels/{world.Channel.Id}", Ct);
        Assert.NotEqual(bucket, Header(get, "X-RateLimit-Bucket"));
        Assert.NotEmpty(Header(get, "X-RateLimit-Limit"));
    }

    [Fact]
    public async Task Sixth_write_in_a_channel_window_is_a_counted_429_and_the_bucket_is_shared_by_edits()
    {
        var time = new ManualTimeProvider();
        await using var world = await EmulatorWorld.StartAsync(o => o.TimeProvider = time);
        var other = world.Emulator.CreateChannel(world.Guild.Id, "other");
        List<HttpStatusCode> statuses = [];
        var created = await world.SendMessageAsync("first");
        statuses.Add(created.StatusCode);
        var id = (string)(await EmulatorWorld.ReadJsonAsync(created))["id"]!;
        for (var i = 0; i < 2; i++)
        {
            statuses.Add((await world.SendMessageAsync("m" + i)).StatusCode);
            statuses.Add((await world.PatchJsonAsync($"channels/{world.Channel.Id}/messages/{id}", new JsonObject { ["content"] = "e" + i })).StatusCode);
        }

        var limited = await world.SendMessageAsync("sixth");
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        var body = await EmulatorWorld.ReadJsonAsync(limited);
        Assert.Equal("You are being rate limited.", (string?)body["message"]);
        Assert.Equal(5.0, (double)body["retry_after"]!, 3);
        Assert.False((bool)body["global"]!);
        Assert.Equal("user", Header(limited, "X-RateLimit-Scope"));
        Assert.Equal("5", Header(limited, "Retry-After"));
        Assert.Equal("0", Header(limited, "X-RateLimit-Remaining"));

        Assert.Equal(HttpStatusCode.OK, (await world.SendMessageAsync("elsewhere", other.Id)).StatusCode);

        var stats = world.Emulator.GetStats(world.Bot.User.Id);
        Assert.Equal(1, stats.TooManyRequests);
        Assert.Equal(1, stats.InvalidRequests);
        Assert.Equal(0, stats.GlobalRateLimitHits);
        Assert.Equal(7, stats.RestRequests);
        Assert.Equal(
            [new KeyValuePair<string, long>("PATCH /channels/{channel_id}/messages/{message_id}", 2), new("POST /channels/{channel_id}/messages", 5)],
            stats.RequestsByRoute);
        Assert.Equal(3, world.Emulator.GetMessages(world.Channel.Id).Count);

        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, (await world.SendMessageAsync("next window")).StatusCode);

        time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(0, world.Emulator.GetStats(world.Bot.User.Id).InvalidRequests);
    }

    [Fact]
    public async Task Global_limit_applies_per_token_and_exempts_interactions()
    {
        var time = new ManualTimeProvider();
        await using var world = await EmulatorWorld.StartAsync(o =>
        {
            o.TimeProvider = time;
            o.GlobalRequestsPerSecond = 3;
        });
        var interaction = await world.Emulator.RunSlashCommandAsync(world.Channel.Id, world.Human.Id, "ask", cancellationToken: Ct);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await world.Http.GetAsync("users/@me", Ct)).StatusCode);
        }

        var limited = await world.Http.GetAsync($"channels/{world.Channel.Id}", Ct);
        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        Assert.Equal("true", Header(limited, "X-RateLimit-Global"));
        Assert.Equal("global", Header(limited, "X-RateLimit-Scope"));
        Assert.True((bool)(await EmulatorWorld.ReadJsonAsync(limited))["global"]!);

        var callback = await world.PostJsonAsync($"interactions/{interaction.Id}/{interaction.Token}/callback",
            new JsonObject { ["type"] = 4, ["data"] = new JsonObject { ["content"] = "still fine" } });
        Assert.Equal(HttpStatusCode.NoContent, callback.StatusCode);

        var stats = world.Emulator.GetStats(world.Bot.User.Id);
        Assert.Equal(1, stats.GlobalRateLimitHits);
        Assert.Equal(1, stats.TooManyRequests);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await world.Http.GetAsync("users/@me", Ct)).StatusCode);
    }
}
