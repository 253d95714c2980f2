using System.Net;
using Cordial.Discord.Rest;

namespace Cordial.Discord.Tests.Rest;

/// <summary>
/// Randomised runs against a simulated Discord bucket (fixed windows opened by the first request, random
/// latency on the manual clock): whatever the limit, window and latency, the client never draws a 429.
/// </summary>
public sealed class RateLimitSimulationTests
{
    private const string MessageJson = """{"id":"10","channel_id":"1","content":"ok","timestamp":"2026-01-01T00:00:00+00:00"}""";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Random_bursts_on_a_shared_bucket_never_draw_a_429(int seed)
    {
        var random = new Random(seed);
        var limit = random.Next(2, 6);
        var window = TimeSpan.FromMilliseconds(random.Next(500, 2000));
        var time = new ManualTimeProvider();
        var gate = new Lock();
        DateTimeOffset? windowStart = null;
        var inWindow = 0;
        var tooMany = 0;
        var handler = new FakeDiscordHandler();
        handler.Respond = async _ =>
        {
            int latencyMs;
            HttpResponseMessage response;
            lock (gate)
            {
                latencyMs = random.Next(0, 300);
                var now = time.GetUtcNow();
                if (windowStart is not { } start || now - start >= window)
                {
                    windowStart = now;
                    inWindow = 0;
                }

                var resetAfter = (windowStart.Value + window - now).TotalSeconds;
                if (inWindow >= limit)
                {
                    tooMany++;
                    response = FakeDiscordHandler.Json(HttpStatusCode.TooManyRequests, "{\"retry_after\":" + resetAfter.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}", FakeDiscordHandler.Bucket("sim", limit, 0, resetAfter));
                }
                else
                {
                    inWindow++;
                    response = FakeDiscordHandler.Json(HttpStatusCode.OK, MessageJson, FakeDiscordHandler.Bucket("sim", limit, limit - inWindow, resetAfter));
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(latencyMs), time);
            return response;
        };
        using var client = new DiscordRestClient(new HttpClient(handler), new RestClientOptions { Token = "t" }, time);

        var calls = Enumerable.Range(0, 24).Select(i => (i % 3) switch
        {
            0 => (Task)client.CreateMessageAsync(1, new MessageCreate { Content = "c" + i }, TestContext.Current.CancellationToken),
            1 => client.EditMessageAsync(1, 10, new MessageEdit { Content = "e" + i }, TestContext.Current.CancellationToken),
            _ => client.EditMessageAsync(1, 11, new MessageEdit { Content = "f" + i }, TestContext.Current.CancellationToken),
        }).ToArray();

        var all = Task.WhenAll(calls);
        for (var step = 0; step < 20_000 && !all.IsCompleted; step++)
        {
            time.Advance(TimeSpan.FromMilliseconds(25));
            await Task.Delay(1, TestContext.Current.CancellationToken);
        }

        await all.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(0, tooMany);
        Assert.Equal(0, client.GetStatistics().TooManyRequests);
        Assert.Equal(24, handler.Requests.Count);
    }
}
