using Cordial.Discord.Rest.RateLimits;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cordial.Discord.Tests.Rest;

/// <summary>The route and bucket maps shrink when entries go idle, never under a request that still needs them.</summary>
public sealed class RateLimitPruningTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(10);
    private static readonly RouteKey CreateInA = new("POST", "channels/{0}/messages", "1");
    private static readonly RouteKey CreateInB = new("POST", "channels/{0}/messages", "2");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static RateLimitHeaders Headers(string hash, int limit, int remaining, double resetAfterSeconds) =>
        new(hash, limit, remaining, TimeSpan.FromSeconds(resetAfterSeconds), Global: false, Scope: null, RetryAfter: null);

    [Fact]
    public async Task Idle_routes_and_buckets_are_dropped_by_prune_alone_without_any_traffic()
    {
        var time = new ManualTimeProvider();
        using var manager = new RateLimitManager(time, NullLogger.Instance, idleTimeout: Idle);
        for (var channel = 0; channel < 50; channel++)
        {
            var route = new RouteKey("POST", "channels/{0}/messages", channel.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var ticket = await manager.AcquireAsync(route, false, Token);
            manager.Complete(ticket, Headers("messages", 5, 4, 5), 200);
        }

        Assert.Equal(50, manager.RouteCount);
        Assert.Equal(50, manager.BucketCount);
        Assert.Equal(0, manager.Prune()); // used just now

        time.Advance(Idle + TimeSpan.FromSeconds(1));

        Assert.Equal(100, manager.Prune());
        Assert.Equal(0, manager.RouteCount);
        Assert.Equal(0, manager.BucketCount);
    }

    [Fact]
    public async Task An_interactions_own_routes_go_after_a_minute_idle_a_channels_after_the_idle_timeout()
    {
        // Every slash command brings routes of its own (its token is their major parameter); kept ten minutes, they
        // were the largest map of a busy bot.
        var time = new ManualTimeProvider();
        using var manager = new RateLimitManager(time, NullLogger.Instance, idleTimeout: Idle);
        RouteKey[] routes =
        [
            new("POST", "interactions/{0}/{1}/callback", "interactions/7/aW50ZXJhY3Rpb24"),
            new("PATCH", "webhooks/{0}/{1}/messages/@original", "5/aW50ZXJhY3Rpb24"),
            CreateInA,
        ];
        for (var i = 0; i < routes.Length; i++)
        {
            var ticket = await manager.AcquireAsync(routes[i], false, Token);
            manager.Complete(ticket, Headers("hash" + i, 5, 4, 1), 200);
        }

        Assert.True(routes[0].HasTokenMajor && routes[1].HasTokenMajor && !CreateInA.HasTokenMajor);
        time.Advance(RateLimitManager.TokenRouteIdleTimeout - TimeSpan.FromSeconds(1));
        Assert.Equal(0, manager.Prune());

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(4, manager.Prune()); // the interaction's two routes and their buckets
        Assert.Equal(1, manager.RouteCount);
        Assert.Equal(1, manager.BucketCount);
        Assert.NotNull(manager.GetBucket(CreateInA));

        time.Advance(Idle);
        Assert.Equal(2, manager.Prune());
        Assert.Equal(0, manager.RouteCount);
    }

    [Fact]
    public async Task A_bucket_with_a_request_in_flight_is_kept_until_it_is_answered_and_idle()
    {
        var time = new ManualTimeProvider();
        using var manager = new RateLimitManager(time, NullLogger.Instance, idleTimeout: Idle);
        var first = await manager.AcquireAsync(CreateInA, false, Token);
        manager.Complete(first, Headers("messages", 5, 4, 5), 200);
        var bucket = manager.GetBucket(CreateInA);
        var inFlight = await manager.AcquireAsync(CreateInA, false, Token);

        time.Advance(Idle + TimeSpan.FromMinutes(1));
        manager.Prune();

        Assert.Same(bucket, manager.GetBucket(CreateInA));
        Assert.Equal(1, manager.BucketCount);
        Assert.False(bucket!.State.Retired);

        manager.Complete(inFlight, Headers("messages", 5, 3, 5), 200);
        time.Advance(Idle + TimeSpan.FromSeconds(1));
        manager.Prune();

        Assert.Equal(0, manager.BucketCount);
        Assert.Equal(0, manager.RouteCount);
    }

    [Fact]
    public async Task A_route_whose_first_request_is_still_unanswered_is_kept()
    {
        var time = new ManualTimeProvider();
        using var manager = new RateLimitManager(time, NullLogger.Instance, idleTimeout: Idle);
        var probe = await manager.AcquireAsync(CreateInA, false, Token);
        var provisional = manager.GetBucket(CreateInA);

        time.Advance(Idle + TimeSpan.FromMinutes(1));
        manager.Prune();

        Assert.Equal(1, manager.RouteCount);
        Assert.Same(provisional, manager.GetBucket(CreateInA));
        manager.Complete(probe, Headers("messages", 5, 4, 5), 200);
        Assert.Equal(1, manager.BucketCount);
    }

    [Fact]
    public async Task An_exhausted_bucket_is_kept_until_its_window_resets_even_when_idle()
    {
        var time = new ManualTimeProvider();
        using var manager = new RateLimitManager(time, NullLogger.Instance, idleTimeout: Idle);
        var ticket = await manager.AcquireAsync(CreateInA, false, Token);
        manager.Complete(ticket, Headers("slow", 1, 0, TimeSpan.FromMinutes(30).TotalSeconds), 200);
        var bucket = manager.GetBucket(CreateInA);

        time.Advance(Idle + TimeSpan.FromMinutes(1));
        manager.Prune();

        // Forgetting it now would let the next request probe a bucket Discord still counts as empty.
        Assert.Same(bucket, manager.GetBucket(CreateInA));
        var waiting = manager.AcquireAsync(CreateInA, false, Token);
        Assert.False(waiting.IsCompleted);

        time.Advance(TimeSpan.FromMinutes(20));
        var next = await waiting;
        manager.Complete(next, Headers("slow", 1, 0, TimeSpan.FromMinutes(30).TotalSeconds), 200);
        Assert.Equal(1, manager.BucketCount);
    }

    [Fact]
    public async Task A_bucket_with_waiters_is_kept()
    {
        var time = new ManualTimeProvider();
        using var manager = new RateLimitManager(time, NullLogger.Instance, idleTimeout: Idle);
        var ticket = await manager.AcquireAsync(CreateInB, false, Token);
        manager.Complete(ticket, Headers("messages", 5, 0, 5), 429, retryAfter: TimeSpan.FromMinutes(15));
        var waiting = manager.AcquireAsync(CreateInB, false, Token);

        time.Advance(Idle + TimeSpan.FromMinutes(1));
        manager.Prune();

        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, manager.BucketCount);
        Assert.Equal(1, manager.RouteCount);
        time.Advance(TimeSpan.FromMinutes(5));
        var served = await waiting;
        manager.Complete(served, Headers("messages", 5, 4, 5), 200);
    }
}
