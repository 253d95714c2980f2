using Cordial.Discord.Rest.RateLimits;

namespace Cordial.Discord.Tests.Rest;

public sealed class RouteBucketTests
{
    private static RateLimitHeaders Headers(int limit, int remaining, double resetAfterSeconds) =>
        new("hash", limit, remaining, TimeSpan.FromSeconds(resetAfterSeconds), Global: false, Scope: null, RetryAfter: null);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Uncontended_acquire_completes_synchronously()
    {
        var time = new ManualTimeProvider();
        using var bucket = new RouteBucket(time);

        Assert.True(Started.Synchronously(bucket.AcquireAsync(Token)));
        Assert.False(Started.Synchronously(bucket.AcquireAsync(Token))); // the probe is out: the next one waits

        bucket.Retire();
        var retired = await bucket.AcquireAsync(Token);
        Assert.True(retired.IsRetired);
    }

    [Fact]
    public async Task Unknown_bucket_sends_one_request_at_a_time_until_headers_arrive()
    {
        var time = new ManualTimeProvider();
        using var bucket = new RouteBucket(time);
        var first = await bucket.AcquireAsync(Token);

        var second = Started.Of(bucket.AcquireAsync(Token));
        Assert.False(second.IsCompleted);

        bucket.Complete(first, default); // no headers: still unknown, the next request probes
        var secondTicket = await second;
        Assert.True(secondTicket.Probe);
        Assert.False(Started.Of(bucket.AcquireAsync(Token)).IsCompleted);
    }

    [Fact]
    public async Task A_request_of_the_old_window_answered_before_the_new_windows_probe_costs_a_token()
    {
        // Sent late in window 1, it may be counted by the server in window 2, and nothing else accounts for it.
        var time = new ManualTimeProvider();
        using var bucket = new RouteBucket(time);
        var probe = await bucket.AcquireAsync(Token);
        bucket.Complete(probe, Headers(limit: 3, remaining: 1, resetAfterSeconds: 1));
        var late = await bucket.AcquireAsync(Token);

        time.Advance(TimeSpan.FromSeconds(1));
        var newProbe = await bucket.AcquireAsync(Token);
        bucket.Complete(late, Headers(limit: 3, remaining: 2, resetAfterSeconds: 1));
        bucket.Complete(newProbe, Headers(limit: 3, remaining: 2, resetAfterSeconds: 1));

        Assert.Equal(1, bucket.State.Remaining);
    }

    [Fact]
    public async Task Another_routes_answer_within_the_window_spends_a_token()
    {
        // The first request of a route not learned yet went out while this bucket held a token back for it; when its
        // answer reveals it shares this bucket, that token is spent, not released. (The emulator showed 6 requests in
        // a 5-request window: probe, the channel's first edit, then 4 creates.)
        var time = new ManualTimeProvider();
        using var bucket = new RouteBucket(time);
        var probe = await bucket.AcquireAsync(Token);
        bucket.Complete(probe, Headers(limit: 5, remaining: 4, resetAfterSeconds: 5));

        bucket.Observe(Headers(limit: 5, remaining: 3, resetAfterSeconds: 5));

        Assert.Equal(3, bucket.State.Remaining);
    }

    [Fact]
    public async Task Another_routes_answer_between_windows_is_applied_when_the_probe_answers()
    {
        var time = new ManualTimeProvider();
        using var bucket = new RouteBucket(time);
        var probe = await bucket.AcquireAsync(Token);
        bucket.Complete(probe, Headers(limit: 5, remaining: 4, resetAfterSeconds: 1));

        time.Advance(TimeSpan.FromSeconds(1));
        var newProbe = await bucket.AcquireAsync(Token);
        bucket.Observe(Headers(limit: 5, remaining: 1, resetAfterSeconds: 1)); // a sharing route spent tokens meanwhile
        bucket.Complete(newProbe, Headers(limit: 5, remaining: 3, resetAfterSeconds: 1));

        Assert.Equal(1, bucket.State.Remaining);
    }

    [Fact]
    public async Task Learned_headers_allow_exactly_the_remaining_requests_until_reset()
    {
        var time = new ManualTimeProvider();
        using var bucket = new RouteBucket(time);
        var probe = await bucket.AcquireAsync(Token);
        bucket.Complete(probe, Headers(limit: 3, remaining: 2, resetAfterSeconds: 2));

        Assert.True(Started.Of(bucket.AcquireAsync(Token)).IsCompleted);
        Assert.True(Started.Of(bucket.AcquireAsync(Token)).IsCompleted);
        var blocked = Started.Of(bucket.AcquireAsync(Token));
        Assert.False(blocked.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(blocked.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));
        var ticket = await blocked.WaitAsync(TimeSpan.FromSeconds(30), Token);
        Assert.True(ticket.Probe); // a new window starts with one probe again
    }

    [Fact]
    public async Task Responses_never_raise_the_remaining_count_within_a_window()
    {
        var time = new ManualTimeProvider();
        using var bucket = new RouteBucket(time);
        var probe = await bucket.AcquireAsync(Token);
        bucket.Complete(probe, Headers(limit: 5, remaining: 4, resetAfterSeconds: 5));

        var tickets = new List<BucketTicket>();
        for (var i = 0; i < 4; i++)
        {
            tickets.Add(await bucket.AcquireAsync(Token));
        }

        // A response processed early by the server still reports 3 left; we already spent them all.
        bucket.Complete(tickets[0], Headers(limit: 5, remaining: 3, resetAfterSeconds: 4));
        Assert.False(Started.Of(bucket.AcquireAsync(Token)).IsCompleted);
        Assert.Equal(0, bucket.State.Remaining);
    }

    [Fact]
    public async Task Requests_still_in_flight_from_the_previous_window_count_against_the_next()
    {
        var time = new ManualTimeProvider();
        using var bucket = new RouteBucket(time);
        var probe = await bucket.AcquireAsync(Token);
        bucket.Complete(probe, Headers(limit: 3, remaining: 2, resetAfterSeconds: 1));
        var late1 = await bucket.AcquireAsync(Token);
        var late2 = await bucket.AcquireAsync(Token);

        time.Advance(TimeSpan.FromSeconds(1));
        var newProbe = await bucket.AcquireAsync(Token);
        Assert.True(newProbe.Probe);

        // The server says 2 remain, but two older requests are still in flight and may land in this window.
        bucket.Complete(newProbe, Headers(limit: 3, remaining: 2, resetAfterSeconds: 1));
        Assert.Equal(0, bucket.State.Remaining);

        // A stale answer from the old window is ignored.
        bucket.Complete(late1, Headers(limit: 3, remaining: 3, resetAfterSeconds: 0.1));
        Assert.Equal(0, bucket.State.Remaining);
        bucket.Complete(late2, default);
        Assert.False(Started.Of(bucket.AcquireAsync(Token)).IsCompleted);
    }

    [Fact]
    public async Task Waiters_are_served_in_arrival_order()
    {
        var time = new ManualTimeProvider();
        using var bucket = new RouteBucket(time);
        var probe = await bucket.AcquireAsync(Token);

        // While the bucket is unknown every grant waits for the previous response, so grants are strictly sequential.
        var order = new List<int>();
        var waits = Enumerable.Range(0, 5).Select(async i =>
        {
            var ticket = await bucket.AcquireAsync(Token);
            lock (order)
            {
                order.Add(i);
            }

            bucket.Complete(ticket, default);
        }).ToArray();

        bucket.Complete(probe, default);
        await Task.WhenAll(waits).WaitAsync(TimeSpan.FromSeconds(30), Token);

        Assert.Equal([0, 1, 2, 3, 4], order);
    }

    [Fact]
    public async Task Too_many_requests_blocks_until_retry_after()
    {
        var time = new ManualTimeProvider();
        using var bucket = new RouteBucket(time);
        var probe = await bucket.AcquireAsync(Token);
        bucket.Complete(probe, Headers(limit: 5, remaining: 4, resetAfterSeconds: 5));

        bucket.BlockFor(TimeSpan.FromSeconds(10));
        var blocked = Started.Of(bucket.AcquireAsync(Token));
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(blocked.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));
        await blocked.WaitAsync(TimeSpan.FromSeconds(30), Token);
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_the_queue_without_spending_a_token()
    {
        var time = new ManualTimeProvider();
        using var bucket = new RouteBucket(time);
        var probe = await bucket.AcquireAsync(Token);
        using var cancel = new CancellationTokenSource();
        var cancelled = Started.Of(bucket.AcquireAsync(cancel.Token));
        var next = Started.Of(bucket.AcquireAsync(Token));

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        bucket.Complete(probe, Headers(limit: 2, remaining: 1, resetAfterSeconds: 5));
        await next.WaitAsync(TimeSpan.FromSeconds(30), Token);
        Assert.Equal(0, bucket.State.Remaining);
    }

    [Fact]
    public async Task An_abandoned_request_gives_its_token_back()
    {
        var time = new ManualTimeProvider();
        using var bucket = new RouteBucket(time);
        var probe = await bucket.AcquireAsync(Token);
        bucket.Complete(probe, Headers(limit: 2, remaining: 1, resetAfterSeconds: 5));
        var ticket = await bucket.AcquireAsync(Token);
        Assert.False(Started.Of(bucket.AcquireAsync(CancellationToken.None)).IsCompleted);

        bucket.Abandon(ticket);

        Assert.Equal(1, bucket.State.InFlight); // the waiter above got the returned token
    }

    [Fact]
    public async Task Retired_bucket_tells_waiters_to_resolve_again()
    {
        var time = new ManualTimeProvider();
        using var bucket = new RouteBucket(time);
        _ = await bucket.AcquireAsync(Token);
        var waiting = Started.Of(bucket.AcquireAsync(Token));

        bucket.Retire();

        Assert.True((await waiting).IsRetired);
        Assert.True((await bucket.AcquireAsync(Token)).IsRetired);
    }
}
