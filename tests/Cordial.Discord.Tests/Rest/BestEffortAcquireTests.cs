using Cordial.Discord.Rest;
using Cordial.Discord.Rest.RateLimits;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cordial.Discord.Tests.Rest;

/// <summary>
/// Acquires with a longest wait (typing indicators): refused at once when the permit clearly cannot come in time, refused at
/// the deadline when still queued, a result and never an exception, and nobody else's order or permits change.
/// </summary>
public sealed class BestEffortAcquireTests
{
    private static readonly RouteKey Typing = new("POST", "channels/{0}/typing", "1");
    private static readonly RouteKey Create = new("POST", "channels/{0}/messages", "1");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static TimeSpan Seconds(double value) => TimeSpan.FromSeconds(value);

    private static RateLimitHeaders Headers(int limit, int remaining, double resetAfterSeconds, string hash = "hash") =>
        new(hash, limit, remaining, Seconds(resetAfterSeconds), Global: false, Scope: null, RetryAfter: null);

    [Fact]
    public void The_global_limit_refuses_at_once_when_the_callers_ahead_claim_every_permit_that_comes_back_in_time()
    {
        var time = new ManualTimeProvider();
        using var limiter = new GlobalRateLimiter(time, limit: 2, Seconds(1));
        Assert.True(Started.Synchronously(limiter.AcquireAsync(Token)));
        Assert.True(Started.Synchronously(limiter.AcquireAsync(Token)));
        limiter.Release(sent: true);
        limiter.Release(sent: true); // both permits come back at 1 s
        time.Advance(Seconds(0.5));
        var first = Started.Of(limiter.AcquireAsync(Token));
        var second = Started.Of(limiter.AcquireAsync(Token));

        // Two callers ahead, two permits before the deadline at 1.5 s: none left for it.
        Assert.False(Started.AtOnce(limiter.TryAcquireAsync(RequestPriority.Deferrable, Seconds(1), Token)).Granted);

        // First in line, but the permits come back at 1 s, after its deadline at 0.8 s.
        Assert.False(Started.AtOnce(limiter.TryAcquireAsync(RequestPriority.Urgent, Seconds(0.3), Token)).Granted);

        Assert.Equal(2, limiter.QueueLength); // nothing was queued
        Assert.Equal(1, time.ActiveTimers); // the limiter's one timer, for the returns: none per caller
        Assert.False(first.IsCompleted || second.IsCompleted);
    }

    [Fact]
    public async Task A_queued_caller_is_refused_at_its_deadline_and_the_caller_behind_it_is_served_in_its_place()
    {
        var time = new ManualTimeProvider();
        using var limiter = new GlobalRateLimiter(time, limit: 1, Seconds(1));
        await limiter.AcquireAsync(Token);
        limiter.Release(sent: true); // comes back at 1 s
        var ahead = Started.Of(limiter.AcquireAsync(Token));
        var typing = Started.Of(limiter.TryAcquireAsync(RequestPriority.Normal, Seconds(1.5), Token));
        var behind = Started.Of(limiter.AcquireAsync(Token));
        Assert.Equal(3, limiter.QueueLength);

        time.Advance(Seconds(1));
        await ahead.WaitAsync(Seconds(30), Token);
        Assert.False(typing.IsCompleted);

        time.Advance(Seconds(0.5)); // the deadline: a result, not an exception
        var (granted, _) = await typing.WaitAsync(Seconds(30), Token);
        Assert.False(granted);
        Assert.Equal(1, limiter.QueueLength);

        // The refused caller took nothing: the next permit (a window after the first caller's answer) is the next caller's.
        limiter.Release(sent: true); // comes back at 2.5 s
        time.Advance(Seconds(0.99));
        Assert.False(behind.IsCompleted);
        time.Advance(Seconds(0.01));
        await behind.WaitAsync(Seconds(30), Token);
        Assert.Equal(0, limiter.QueueLength);

        // Its permit is out: nothing is spare.
        Assert.False(Started.AtOnce(limiter.TryAcquireAsync(RequestPriority.Urgent, TimeSpan.Zero, Token)).Granted);
        Assert.Equal(0, limiter.QueueLength);
    }

    [Fact]
    public async Task A_caller_is_granted_when_its_permit_comes_within_the_budget()
    {
        var time = new ManualTimeProvider();
        using var limiter = new GlobalRateLimiter(time, limit: 1, Seconds(1));
        // A free permit: at once and allocation-free, as without a budget.
        Assert.True(Started.AtOnce(limiter.TryAcquireAsync(RequestPriority.Deferrable, Seconds(1), Token)).Granted);

        limiter.Release(sent: true); // comes back at 1 s
        time.Advance(Seconds(0.5));
        var typing = Started.Of(limiter.TryAcquireAsync(RequestPriority.Deferrable, Seconds(1), Token));
        Assert.False(typing.IsCompleted);
        Assert.Equal(1, limiter.QueueLength);

        time.Advance(Seconds(0.5));
        var (granted, _) = await typing.WaitAsync(Seconds(30), Token);
        Assert.True(granted);
        Assert.Equal(0, limiter.QueueLength);
    }

    [Fact]
    public async Task Without_a_budget_a_caller_still_waits_as_long_as_the_limit_requires()
    {
        var time = new ManualTimeProvider();
        using var limiter = new GlobalRateLimiter(time, limit: 1, Seconds(1));
        Assert.True(Started.Synchronously(limiter.AcquireAsync(Token)));
        limiter.Release(sent: true);
        limiter.PauseFor(Seconds(5)); // a global 429

        var patient = Started.Of(limiter.AcquireAsync(Token));
        Assert.False(Started.AtOnce(limiter.TryAcquireAsync(RequestPriority.Urgent, Seconds(1), Token)).Granted); // paused past its budget, though it would go first

        time.Advance(Seconds(4.99));
        Assert.False(patient.IsCompleted);
        time.Advance(Seconds(0.01));
        await patient.WaitAsync(Seconds(30), Token);
    }

    [Fact]
    public async Task An_empty_bucket_refuses_at_once_when_it_resets_after_the_budget_and_serves_a_caller_whose_budget_reaches_the_reset()
    {
        var time = new ManualTimeProvider();
        using var bucket = new RouteBucket(time);
        var probe = await bucket.AcquireAsync(Token);
        bucket.Complete(probe, Headers(limit: 2, remaining: 0, resetAfterSeconds: 5));

        Assert.False(Started.AtOnce(bucket.TryAcquireAsync(RequestPriority.Normal, Seconds(1), Token)).Granted);
        Assert.Equal(0, bucket.QueueLength);

        var patient = Started.Of(bucket.TryAcquireAsync(RequestPriority.Normal, Seconds(6), Token));
        time.Advance(Seconds(4.99));
        Assert.False(patient.IsCompleted);
        time.Advance(Seconds(0.01));
        var (granted, ticket) = await patient.WaitAsync(Seconds(30), Token);
        Assert.True(granted);
        Assert.True(ticket.Probe); // the new window's first request
    }

    [Fact]
    public async Task A_bucket_paused_by_a_429_refuses_at_once()
    {
        var time = new ManualTimeProvider();
        using var bucket = new RouteBucket(time);
        var probe = await bucket.AcquireAsync(Token);
        bucket.Complete(probe, Headers(limit: 5, remaining: 4, resetAfterSeconds: 5));
        bucket.BlockFor(Seconds(10));

        Assert.False(Started.AtOnce(bucket.TryAcquireAsync(RequestPriority.Normal, Seconds(9), Token)).Granted);
        Assert.Equal(0, bucket.QueueLength);
        Assert.Equal(0, bucket.State.Remaining);
    }

    [Fact]
    public async Task A_caller_queued_in_a_bucket_leaves_it_at_its_deadline_without_taking_a_token()
    {
        var time = new ManualTimeProvider();
        using var bucket = new RouteBucket(time);
        var probe = await bucket.AcquireAsync(Token); // nobody can say when the probe's answer comes: it may wait

        var typing = Started.Of(bucket.TryAcquireAsync(RequestPriority.Normal, Seconds(1), Token));
        var behind = Started.Of(bucket.AcquireAsync(Token));
        Assert.Equal(2, bucket.QueueLength);

        time.Advance(Seconds(1));
        var (granted, _) = await typing.WaitAsync(Seconds(30), Token);
        Assert.False(granted);
        Assert.Equal(1, bucket.QueueLength);
        Assert.False(behind.IsCompleted);

        bucket.Complete(probe, Headers(limit: 3, remaining: 2, resetAfterSeconds: 5));
        var ticket = await behind.WaitAsync(Seconds(30), Token);
        Assert.False(ticket.Probe);
        Assert.Equal(1, bucket.State.Remaining); // two tokens, one for the caller behind
    }

    [Fact]
    public async Task A_request_the_global_limit_refuses_at_once_takes_no_bucket_token_and_queues_nowhere()
    {
        var time = new ManualTimeProvider();
        using var manager = new RateLimitManager(time, NullLogger.Instance, globalLimitPerSecond: 1);
        var first = await manager.AcquireAsync(Typing, false, Token);
        manager.Complete(first, Headers(limit: 5, remaining: 4, resetAfterSeconds: 5, hash: "typing"), 204); // the permit comes back at 1 s

        var refused = manager.TryAcquireAsync(Typing, false, RequestPriority.Deferrable, Seconds(0.5), Token);

        Assert.Null(Started.AtOnce(refused));
        var bucket = manager.GetBucket(Typing)!;
        Assert.Equal((Remaining: 4, InFlight: 0), (bucket.State.Remaining, bucket.State.InFlight));
        Assert.Equal(0, bucket.QueueLength);
        Assert.Equal(0, manager.Global.QueueLength);
    }

    [Fact]
    public async Task A_request_refused_at_its_deadline_in_the_global_queue_gives_its_bucket_token_back()
    {
        var time = new ManualTimeProvider();
        using var manager = new RateLimitManager(time, NullLogger.Instance, globalLimitPerSecond: 1);
        var first = await manager.AcquireAsync(Typing, false, Token);
        manager.Complete(first, Headers(limit: 5, remaining: 4, resetAfterSeconds: 5, hash: "typing"), 204); // back at 1 s
        var create = Started.Of(manager.AcquireAsync(Create, false, Token)); // takes that permit

        var typing = Started.Of(manager.TryAcquireAsync(Typing, false, RequestPriority.Deferrable, Seconds(1.5), Token));
        Assert.Equal(3, manager.GetBucket(Typing)!.State.Remaining); // holds a bucket token while it waits for the global one

        time.Advance(Seconds(1));
        await create.WaitAsync(Seconds(30), Token);
        time.Advance(Seconds(0.5));
        Assert.Null(await typing.WaitAsync(Seconds(30), Token));
        Assert.Equal((Remaining: 4, InFlight: 0), (manager.GetBucket(Typing)!.State.Remaining, manager.GetBucket(Typing)!.State.InFlight));
        Assert.Equal(0, manager.Global.QueueLength);
    }

    [Fact]
    public async Task A_request_is_granted_when_both_permits_come_within_its_budget()
    {
        var time = new ManualTimeProvider();
        using var manager = new RateLimitManager(time, NullLogger.Instance, globalLimitPerSecond: 1);
        var first = await manager.AcquireAsync(Typing, false, Token);
        manager.Complete(first, Headers(limit: 5, remaining: 4, resetAfterSeconds: 5, hash: "typing"), 204); // back at 1 s
        time.Advance(Seconds(0.5));

        var typing = Started.Of(manager.TryAcquireAsync(Typing, false, RequestPriority.Deferrable, Seconds(1), Token));
        Assert.False(typing.IsCompleted);
        time.Advance(Seconds(0.5));
        var ticket = await typing.WaitAsync(Seconds(30), Token);

        Assert.NotNull(ticket);
        Assert.True(ticket.Value.HoldsGlobal);
        Assert.Equal(3, manager.GetBucket(Typing)!.State.Remaining);
        manager.Complete(ticket.Value, Headers(limit: 5, remaining: 3, resetAfterSeconds: 4.5, hash: "typing"), 204);
    }
}
