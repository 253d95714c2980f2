using Cordial.Discord.Rest;
using Cordial.Discord.Rest.RateLimits;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cordial.Discord.Tests.Rest;

public sealed class RateLimitManagerTests
{
    private static readonly RouteKey EditInA = new("PATCH", "channels/{0}/messages/{1}", "1");
    private static readonly RouteKey CreateInA = new("POST", "channels/{0}/messages", "1");
    private static readonly RouteKey CreateInB = new("POST", "channels/{0}/messages", "2");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static RateLimitHeaders Headers(string hash, int limit, int remaining, double resetAfterSeconds) =>
        new(hash, limit, remaining, TimeSpan.FromSeconds(resetAfterSeconds), Global: false, Scope: null, RetryAfter: null);

    [Fact]
    public async Task Routes_with_the_same_bucket_hash_and_major_share_one_limiter()
    {
        var time = new ManualTimeProvider();
        using var manager = new RateLimitManager(time, NullLogger.Instance);

        var create = await manager.AcquireAsync(CreateInA, false, Token);
        manager.Complete(create, Headers("messages", limit: 5, remaining: 1, resetAfterSeconds: 5), 200);
        var edit = await manager.AcquireAsync(EditInA, false, Token);
        manager.Complete(edit, Headers("messages", limit: 5, remaining: 0, resetAfterSeconds: 5), 200);

        Assert.Same(manager.GetBucket(CreateInA), manager.GetBucket(EditInA));
        Assert.Equal(1, manager.BucketCount);
        // The edit spent the create's last token: both routes now wait for the reset.
        Assert.False(Started.Of(manager.AcquireAsync(CreateInA, false, Token)).IsCompleted);
        Assert.False(Started.Of(manager.AcquireAsync(EditInA, false, Token)).IsCompleted);

        var other = await manager.AcquireAsync(CreateInB, false, Token);
        manager.Complete(other, Headers("messages", limit: 5, remaining: 4, resetAfterSeconds: 5), 200);
        Assert.NotSame(manager.GetBucket(CreateInA), manager.GetBucket(CreateInB));
        Assert.Equal(2, manager.BucketCount);
    }

    [Fact]
    public async Task An_unlearned_route_waits_while_a_known_bucket_of_its_channel_is_empty()
    {
        // The first edit in a channel whose creates have used up the shared message bucket must not go out: on
        // Discord it lands in that same bucket and draws a 429. (Found by 200 concurrent replies in 20 channels.)
        var time = new ManualTimeProvider();
        using var manager = new RateLimitManager(time, NullLogger.Instance);
        var create = await manager.AcquireAsync(CreateInA, false, Token);
        manager.Complete(create, Headers("messages", limit: 5, remaining: 0, resetAfterSeconds: 5), 200);

        var edit = Started.Of(manager.AcquireAsync(EditInA, false, Token));
        var otherChannel = Started.Of(manager.AcquireAsync(new RouteKey("PATCH", "channels/{0}/messages/{1}", "2"), false, Token));

        Assert.False(edit.IsCompleted);
        Assert.True(otherChannel.IsCompleted); // another channel's buckets are not involved
        time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(edit.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.2));
        await edit.WaitAsync(TimeSpan.FromSeconds(30), Token);
    }

    [Fact]
    public async Task A_route_whose_bucket_was_learned_in_another_channel_waits_only_for_that_bucket_here()
    {
        // Discord's bucket hash belongs to the route: once GET messages was answered in channel 2, its first use in
        // channel 1 is known not to share channel 1's empty message bucket — while an edit, known to share it, waits.
        var time = new ManualTimeProvider();
        using var manager = new RateLimitManager(time, NullLogger.Instance);
        var readIn2 = await manager.AcquireAsync(new RouteKey("GET", "channels/{0}/messages", "2"), false, Token);
        manager.Complete(readIn2, Headers("reads", limit: 5, remaining: 4, resetAfterSeconds: 5), 200);
        var editIn2 = await manager.AcquireAsync(new RouteKey("PATCH", "channels/{0}/messages/{1}", "2"), false, Token);
        manager.Complete(editIn2, Headers("messages", limit: 5, remaining: 4, resetAfterSeconds: 5), 200);
        var create = await manager.AcquireAsync(CreateInA, false, Token);
        manager.Complete(create, Headers("messages", limit: 5, remaining: 0, resetAfterSeconds: 5), 200);

        var read = Started.Of(manager.AcquireAsync(new RouteKey("GET", "channels/{0}/messages", "1"), false, Token));
        var edit = Started.Of(manager.AcquireAsync(EditInA, false, Token));

        Assert.True(read.IsCompleted);
        Assert.False(edit.IsCompleted);
        Assert.Same(manager.GetBucket(CreateInA), manager.GetBucket(EditInA));
        time.Advance(TimeSpan.FromSeconds(5.1));
        await edit.WaitAsync(TimeSpan.FromSeconds(30), Token);
    }

    [Fact]
    public async Task An_interaction_callback_never_waits_for_a_channel_that_happens_to_share_its_stripe()
    {
        // Unlearned routes wait for empty buckets of their major's stripe; stripes are shared by hashing. An interaction
        // callback shares its major with no route, so a colliding channel must not hold it (it waited seconds, past
        // Discord's 3 s, in the 1,000-user load test).
        var time = new ManualTimeProvider();
        using var manager = new RateLimitManager(time, NullLogger.Instance);
        var callback = Route.Create(HttpMethod.Post, $"interactions/{123UL}/{"tok"}/callback").Key;
        var plainStripe = (int)((uint)StringComparer.Ordinal.GetHashCode(callback.Major) % ProvisionalRequestCounter.StripeCount);
        var channel = 1UL;
        while (ProvisionalRequestCounter.StripeOf(channel.ToString(System.Globalization.CultureInfo.InvariantCulture)) != plainStripe)
        {
            channel++;
        }

        var create = await manager.AcquireAsync(new RouteKey("POST", "channels/{0}/messages", channel.ToString(System.Globalization.CultureInfo.InvariantCulture)), false, Token);
        manager.Complete(create, Headers("messages", limit: 5, remaining: 0, resetAfterSeconds: 5), 200);

        Assert.Equal(ProvisionalRequestCounter.NoStripe, ProvisionalRequestCounter.StripeOf(callback.Major));
        Assert.True(Started.Of(manager.AcquireAsync(callback, true, Token)).IsCompleted);
    }

    [Fact]
    public async Task Waiters_on_a_provisional_route_move_to_the_shared_bucket()
    {
        var time = new ManualTimeProvider();
        using var manager = new RateLimitManager(time, NullLogger.Instance);
        var create = await manager.AcquireAsync(CreateInA, false, Token);
        manager.Complete(create, Headers("messages", limit: 5, remaining: 4, resetAfterSeconds: 5), 200);

        var edit = await manager.AcquireAsync(EditInA, false, Token);
        var queued = Started.Of(manager.AcquireAsync(EditInA, false, Token)); // unknown route: one at a time
        Assert.False(queued.IsCompleted);

        manager.Complete(edit, Headers("messages", limit: 5, remaining: 3, resetAfterSeconds: 5), 200);
        var ticket = await queued.WaitAsync(TimeSpan.FromSeconds(30), Token);

        Assert.Same(manager.GetBucket(CreateInA), ticket.Bucket.Bucket);
    }

    [Fact]
    public async Task Route_without_bucket_headers_is_limited_only_globally()
    {
        var time = new ManualTimeProvider();
        using var manager = new RateLimitManager(time, NullLogger.Instance);
        var route = new RouteKey("GET", "gateway/bot", "");
        var first = await manager.AcquireAsync(route, false, Token);
        manager.Complete(first, default, 200);

        var concurrent = Enumerable.Range(0, 10).Select(_ => Started.Of(manager.AcquireAsync(route, false, Token))).ToArray();

        Assert.All(concurrent, t => Assert.True(t.IsCompleted));
        Assert.Null(manager.GetBucket(route));
    }

    [Fact]
    public async Task Global_limit_holds_across_routes_and_frees_a_permit_one_second_after_each_response()
    {
        var time = new ManualTimeProvider();
        using var manager = new RateLimitManager(time, NullLogger.Instance, globalLimitPerSecond: 5);
        var tickets = new List<RateLimitTicket>();
        for (ulong channel = 0; channel < 5; channel++)
        {
            tickets.Add(await manager.AcquireAsync(new RouteKey("POST", "channels/{0}/messages", channel.ToString(System.Globalization.CultureInfo.InvariantCulture)), false, Token));
        }

        var sixth = Started.Of(manager.AcquireAsync(new RouteKey("POST", "channels/{0}/messages", "99"), false, Token));
        var exempt = Started.Of(manager.AcquireAsync(new RouteKey("POST", "interactions/{0}/{1}/callback", "7/tok"), true, Token));
        Assert.True(exempt.IsCompleted);
        Assert.False(sixth.IsCompleted);

        manager.Complete(tickets[0], default, 200);
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(sixth.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(1));
        await sixth.WaitAsync(TimeSpan.FromSeconds(30), Token);
    }

    [Fact]
    public async Task Global_429_pauses_every_route()
    {
        var time = new ManualTimeProvider();
        using var manager = new RateLimitManager(time, NullLogger.Instance);
        var ticket = await manager.AcquireAsync(CreateInA, false, Token);
        manager.Complete(ticket, new RateLimitHeaders(null, null, null, null, Global: true, Scope: "global", RetryAfter: null), 429, TimeSpan.FromSeconds(3), global: true);

        var other = Started.Of(manager.AcquireAsync(new RouteKey("GET", "users/@me", ""), false, Token));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(other.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));
        await other.WaitAsync(TimeSpan.FromSeconds(30), Token);
        Assert.Equal(1, manager.TooManyRequests);
        Assert.Equal(1, manager.InvalidRequests);
    }

    [Fact]
    public async Task Route_429_blocks_only_that_bucket()
    {
        var time = new ManualTimeProvider();
        using var manager = new RateLimitManager(time, NullLogger.Instance);
        var ticket = await manager.AcquireAsync(CreateInA, false, Token);
        manager.Complete(ticket, Headers("messages", 5, 0, 2) with { Scope = "user" }, 429, TimeSpan.FromSeconds(2));

        var same = Started.Of(manager.AcquireAsync(CreateInA, false, Token));
        var other = Started.Of(manager.AcquireAsync(CreateInB, false, Token));

        Assert.True(other.IsCompleted);
        Assert.False(same.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));
        await same.WaitAsync(TimeSpan.FromSeconds(30), Token);
    }

    [Fact]
    public async Task Invalid_requests_count_401_403_and_non_shared_429_over_a_sliding_ten_minutes()
    {
        var time = new ManualTimeProvider();
        using var manager = new RateLimitManager(time, NullLogger.Instance);
        var route = new RouteKey("GET", "channels/{0}", "5");

        async Task Respond(int status, string? scope = null)
        {
            var ticket = await manager.AcquireAsync(route, false, Token);
            manager.Complete(ticket, new RateLimitHeaders(null, null, null, null, false, scope, null), status, status == 429 ? TimeSpan.Zero : null);
        }

        await Respond(401);
        await Respond(403);
        time.Advance(TimeSpan.FromMinutes(5));
        await Respond(429, "user");
        await Respond(429, "shared");
        await Respond(404);
        Assert.Equal(3, manager.InvalidRequests);

        time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(10));
        Assert.Equal(1, manager.InvalidRequests);

        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, manager.InvalidRequests);
    }

    [Fact]
    public async Task Idle_buckets_and_routes_expire()
    {
        var time = new ManualTimeProvider();
        using var manager = new RateLimitManager(time, NullLogger.Instance, idleTimeout: TimeSpan.FromMinutes(2));
        var ticket = await manager.AcquireAsync(CreateInA, false, Token);
        manager.Complete(ticket, Headers("messages", 5, 4, 5), 200);
        Assert.Equal(1, manager.BucketCount);

        time.Advance(TimeSpan.FromMinutes(3));
        var other = await manager.AcquireAsync(CreateInB, false, Token); // any response triggers the sweep
        manager.Complete(other, default, 200);

        Assert.Equal(1, manager.BucketCount); // channel B's, placed at once by the route's known hash; A's is gone
        Assert.Null(manager.GetBucket(CreateInA));

        // The route is relearned on next use.
        var again = await manager.AcquireAsync(CreateInA, false, Token);
        Assert.True(again.Bucket.Probe);
    }

    [Fact]
    public async Task Approaching_the_invalid_request_ban_logs_a_warning_once_a_minute()
    {
        var time = new ManualTimeProvider();
        var logger = new ListLogger();
        using var manager = new RateLimitManager(time, logger);
        var route = new RouteKey("GET", "users/@me", "");

        async Task Unauthorized(int times)
        {
            for (var i = 0; i < times; i++)
            {
                var ticket = await manager.AcquireAsync(route, true, Token);
                manager.Complete(ticket, default, 401);
            }
        }

        await Unauthorized(RateLimitManager.InvalidRequestWarningThreshold - 1);
        Assert.DoesNotContain(logger.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning);

        await Unauthorized(100);
        var warning = Assert.Single(logger.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.Contains(RateLimitManager.InvalidRequestWarningThreshold.ToString(System.Globalization.CultureInfo.InvariantCulture), warning.Message, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromMinutes(1));
        await Unauthorized(1);
        Assert.Equal(2, logger.Entries.Count(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning));
    }

    [Fact]
    public async Task A_known_bucket_keeps_a_token_back_for_unlearned_requests_of_the_same_channel()
    {
        var time = new ManualTimeProvider();
        using var manager = new RateLimitManager(time, NullLogger.Instance);
        var create = await manager.AcquireAsync(CreateInA, false, Token);
        manager.Complete(create, Headers("messages", limit: 5, remaining: 1, resetAfterSeconds: 5), 200);

        // An edit in the same channel goes out before its bucket is known: it may spend the create bucket's last token.
        var edit = await manager.AcquireAsync(EditInA, false, Token);
        var next = Started.Of(manager.AcquireAsync(CreateInA, false, Token));
        Assert.False(next.IsCompleted);
        var elsewhere = Started.Of(manager.AcquireAsync(CreateInB, false, Token));
        Assert.True(elsewhere.IsCompleted);

        // It turns out to be another bucket: the token is free again.
        manager.Complete(edit, Headers("edits", limit: 5, remaining: 4, resetAfterSeconds: 5), 200);
        time.Advance(TimeSpan.FromMilliseconds(50));
        await next.WaitAsync(TimeSpan.FromSeconds(30), Token);
    }
}
