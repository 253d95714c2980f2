using System.Net;
using Cordial.Discord.Rest;
using Cordial.Discord.Rest.RateLimits;

namespace Cordial.Discord.Tests.Rest;

/// <summary>The client's rate limiting end to end through HTTP headers, against a scripted fixed-window bucket.</summary>
public sealed class RateLimitedClientTests
{
    private const string MessageJson = """{"id":"10","channel_id":"1","content":"ok","timestamp":"2026-01-01T00:00:00+00:00"}""";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_message_given_as_a_function_is_built_when_its_request_leaves_after_the_rate_limit_wait()
    {
        var time = new ManualTimeProvider();
        var handler = new FakeDiscordHandler
        {
            // One request per 10 s window for the channel's creates and edits.
            Respond = _ => Task.FromResult(FakeDiscordHandler.Json(HttpStatusCode.OK, MessageJson, FakeDiscordHandler.Bucket("channel-writes", 1, 0, 10))),
        };
        using var client = new DiscordRestClient(new HttpClient(handler), new RestClientOptions { Token = "t" }, time);
        await client.CreateMessageAsync(1, new MessageCreate { Content = "first" }, Token);

        var text = "queued";
        var asked = 0;
        var create = client.CreateMessageAsync(1, () =>
        {
            Interlocked.Increment(ref asked);
            return new MessageCreate { Content = Volatile.Read(ref text) };
        }, Token);
        await Eventually.UntilAsync(() => client.RateLimits.GetBucket(new RouteKey("POST", "channels/{0}/messages", "1"))?.QueueLength == 1, "the create to wait for the bucket");
        Assert.Equal(0, Volatile.Read(ref asked));

        Volatile.Write(ref text, "newest");
        time.Advance(TimeSpan.FromSeconds(10));
        await create.WaitAsync(TimeSpan.FromSeconds(30), Token);
        time.Advance(TimeSpan.FromSeconds(10)); // the window the create used is over: the edit leaves at once
        await client.EditMessageAsync(1, 10, () => new MessageEdit { Content = Volatile.Read(ref text) + " (edited)" }, Token)
            .WaitAsync(TimeSpan.FromSeconds(30), Token);

        var requests = handler.Requests.ToArray();
        Assert.Equal(1, asked);
        Assert.Contains("\"content\":\"newest\"", requests[1].BodyText, StringComparison.Ordinal);
        Assert.Contains("\"content\":\"newest (edited)\"", requests[2].BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_message_from_a_function_fails_the_call_and_frees_the_permit()
    {
        var handler = new FakeDiscordHandler { Respond = _ => Task.FromResult(FakeDiscordHandler.Json(HttpStatusCode.OK, MessageJson)) };
        using var client = new DiscordRestClient(new HttpClient(handler), new RestClientOptions { Token = "t" }, new ManualTimeProvider());

        await Assert.ThrowsAnyAsync<ArgumentException>(() => client.CreateMessageAsync(1, () => new MessageCreate { Content = new string('x', 2001) }, Token));
        await client.CreateMessageAsync(1, () => new MessageCreate { Content = "fine" }, Token);

        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Routes_learn_a_shared_bucket_from_headers_and_wait_for_its_reset_instead_of_drawing_429s()
    {
        var time = new ManualTimeProvider();
        var handler = new FakeDiscordHandler();
        var window = TimeSpan.FromSeconds(10);
        var counts = new Dictionary<long, int>();
        var tooMany = 0;
        handler.Respond = _ =>
        {
            // Discord-style fixed windows of 10 s holding 2 requests, creates and edits of a channel in one bucket.
            var now = time.GetUtcNow();
            var index = now.Ticks / window.Ticks;
            int count;
            lock (counts)
            {
                count = counts[index] = counts.GetValueOrDefault(index) + 1;
            }

            var resetAfter = (TimeSpan.FromTicks((index + 1) * window.Ticks) - TimeSpan.FromTicks(now.Ticks)).TotalSeconds;
            if (count > 2)
            {
                Interlocked.Increment(ref tooMany);
                return Task.FromResult(FakeDiscordHandler.Json(HttpStatusCode.TooManyRequests, $$"""{"message":"slow down","retry_after":{{resetAfter}},"global":false}""", FakeDiscordHandler.Bucket("channel-writes", 2, 0, resetAfter)));
            }

            return Task.FromResult(FakeDiscordHandler.Json(HttpStatusCode.OK, MessageJson, FakeDiscordHandler.Bucket("channel-writes", 2, 2 - count, resetAfter)));
        };
        using var client = new DiscordRestClient(new HttpClient(handler), new RestClientOptions { Token = "t" }, time);

        await client.CreateMessageAsync(1, new MessageCreate { Content = "hello" }, Token);
        var edits = Enumerable.Range(0, 3).Select(i => client.EditMessageAsync(1, 10, new MessageEdit { Content = "e" + i }, Token)).ToArray();

        var create = new RouteKey("POST", "channels/{0}/messages", "1");
        var edit = new RouteKey("PATCH", "channels/{0}/messages/{1}", "1");
        await Eventually.UntilAsync(() => client.RateLimits.GetBucket(create)?.QueueLength == 2, "two edits to wait on the shared bucket");
        Assert.Same(client.RateLimits.GetBucket(create), client.RateLimits.GetBucket(edit));
        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(1, client.GetStatistics().Buckets);

        time.Advance(window);
        await Task.WhenAll(edits).WaitAsync(TimeSpan.FromSeconds(30), Token);

        Assert.Equal(4, handler.Requests.Count);
        Assert.Equal(0, tooMany);
        Assert.Equal(0, client.GetStatistics().TooManyRequests);
    }

    [Fact]
    public void Rate_limit_headers_are_parsed_and_hostile_values_ignored_or_clamped()
    {
        using var response = FakeDiscordHandler.Json(HttpStatusCode.TooManyRequests, "{}",
            ("X-RateLimit-Bucket", "abcd1234"),
            ("X-RateLimit-Limit", "5"),
            ("X-RateLimit-Remaining", "0"),
            ("X-RateLimit-Reset-After", "1.250"),
            ("X-RateLimit-Global", "true"),
            ("X-RateLimit-Scope", "shared"),
            ("Retry-After", "99999999"));

        var headers = RateLimitHeaders.Parse(response.Headers);

        Assert.Equal("abcd1234", headers.Bucket);
        Assert.Equal(5, headers.Limit);
        Assert.Equal(0, headers.Remaining);
        Assert.Equal(TimeSpan.FromSeconds(1.25), headers.ResetAfter);
        Assert.True(headers.Global);
        Assert.True(headers.IsSharedScope);
        Assert.True(headers.HasBucketState);
        Assert.Equal(TimeSpan.FromDays(1), headers.RetryAfter);

        using var junk = FakeDiscordHandler.Json(HttpStatusCode.OK, "{}", ("X-RateLimit-Limit", "-3"), ("X-RateLimit-Remaining", "lots"), ("X-RateLimit-Reset-After", "NaN"));
        var parsed = RateLimitHeaders.Parse(junk.Headers);
        Assert.Null(parsed.Limit);
        Assert.Null(parsed.Remaining);
        Assert.Null(parsed.ResetAfter);
        Assert.False(parsed.HasBucketState);
    }
}
