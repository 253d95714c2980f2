using Cordial.Discord.Rest;
using Cordial.Discord.Rest.RateLimits;

namespace Cordial.Discord.Tests.Rest;

/// <summary>
/// The global limiter's lanes when it is saturated: reads first, then everything else, and deferrable requests (edits,
/// typing) last, but not for long.
/// </summary>
public sealed class GlobalLimiterLaneTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_waiting_request_goes_before_an_edit_that_queued_earlier()
    {
        var time = new ManualTimeProvider();
        using var limiter = new GlobalRateLimiter(time, limit: 1, TimeSpan.FromSeconds(1));
        await limiter.AcquireAsync(Token);

        var edit = limiter.AcquireAsync(RequestPriority.Deferrable, Token).AsTask();
        var create = limiter.AcquireAsync(Token).AsTask();
        limiter.Release(sent: true);
        time.Advance(TimeSpan.FromSeconds(1));

        await create.WaitAsync(TimeSpan.FromSeconds(30), Token);
        Assert.False(edit.IsCompleted);

        limiter.Release(sent: true);
        time.Advance(TimeSpan.FromSeconds(1));
        await edit.WaitAsync(TimeSpan.FromSeconds(30), Token);
    }

    [Fact]
    public async Task An_edit_is_not_overtaken_once_it_waited_the_longest_deferral()
    {
        var time = new ManualTimeProvider();
        using var limiter = new GlobalRateLimiter(time, limit: 1, TimeSpan.FromSeconds(1));
        await limiter.AcquireAsync(Token);

        var edit = limiter.AcquireAsync(RequestPriority.Deferrable, Token).AsTask();
        time.Advance(FifoLimiter<bool>.MaxDeferral);
        var create = limiter.AcquireAsync(Token).AsTask();
        limiter.Release(sent: true);
        time.Advance(TimeSpan.FromSeconds(1));

        await edit.WaitAsync(TimeSpan.FromSeconds(30), Token);
        Assert.False(create.IsCompleted);
    }

    [Fact]
    public async Task A_deferrable_request_does_not_pass_anyone_and_a_free_permit_serves_it_at_once()
    {
        var time = new ManualTimeProvider();
        using var limiter = new GlobalRateLimiter(time, limit: 1, TimeSpan.FromSeconds(1));
        var first = limiter.AcquireAsync(RequestPriority.Deferrable, Token);
        Assert.True(first.IsCompletedSuccessfully);

        var create = limiter.AcquireAsync(Token).AsTask();
        var later = limiter.AcquireAsync(RequestPriority.Deferrable, Token).AsTask();
        limiter.Release(sent: true);
        time.Advance(TimeSpan.FromSeconds(1));

        await create.WaitAsync(TimeSpan.FromSeconds(30), Token);
        Assert.False(later.IsCompleted);
        Assert.Equal(1, limiter.QueueLength);
    }

    [Fact]
    public async Task A_cancelled_deferred_waiter_is_skipped()
    {
        var time = new ManualTimeProvider();
        using var limiter = new GlobalRateLimiter(time, limit: 1, TimeSpan.FromSeconds(1));
        await limiter.AcquireAsync(Token);

        using var cancel = new CancellationTokenSource();
        var gone = limiter.AcquireAsync(RequestPriority.Deferrable, cancel.Token).AsTask();
        var edit = limiter.AcquireAsync(RequestPriority.Deferrable, Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gone);

        limiter.Release(sent: true);
        time.Advance(TimeSpan.FromSeconds(1));
        await edit.WaitAsync(TimeSpan.FromSeconds(30), Token);
    }

    [Fact]
    public async Task A_read_goes_before_creates_that_queued_earlier_but_not_before_an_edit_past_its_deferral()
    {
        var time = new ManualTimeProvider();
        using var limiter = new GlobalRateLimiter(time, limit: 1, TimeSpan.FromSeconds(1));
        await limiter.AcquireAsync(Token);

        var edit = limiter.AcquireAsync(RequestPriority.Deferrable, Token).AsTask();
        var create = limiter.AcquireAsync(RequestPriority.Normal, Token).AsTask();
        var read = limiter.AcquireAsync(RequestPriority.Urgent, Token).AsTask();
        limiter.Release(sent: true);
        time.Advance(TimeSpan.FromSeconds(1));
        await read.WaitAsync(TimeSpan.FromSeconds(30), Token);
        Assert.False(create.IsCompleted);

        // The edit has now waited its longest deferral: it goes before the create and a later read.
        limiter.Release(sent: true);
        time.Advance(FifoLimiter<bool>.MaxDeferral);
        var laterRead = limiter.AcquireAsync(RequestPriority.Urgent, Token).AsTask();
        await edit.WaitAsync(TimeSpan.FromSeconds(30), Token);
        Assert.False(create.IsCompleted);

        limiter.Release(sent: true);
        time.Advance(TimeSpan.FromSeconds(1));
        await laterRead.WaitAsync(TimeSpan.FromSeconds(30), Token);
        Assert.False(create.IsCompleted);
        limiter.Release(sent: true);
        time.Advance(TimeSpan.FromSeconds(1));
        await create.WaitAsync(TimeSpan.FromSeconds(30), Token);
    }

    [Fact]
    public void Reads_are_urgent_message_edits_and_typing_deferrable_and_everything_else_normal()
    {
        Assert.Equal(RequestPriority.Urgent, Route.Create(HttpMethod.Get, $"channels/{1UL}/messages/{2UL}").Priority);
        Assert.Equal(RequestPriority.Urgent, Route.Create(HttpMethod.Get, $"channels/{1UL}/messages").Priority);
        Assert.Equal(RequestPriority.Deferrable, Route.Create(HttpMethod.Patch, $"channels/{1UL}/messages/{2UL}").Priority);
        Assert.Equal(RequestPriority.Deferrable, Route.Create(HttpMethod.Post, $"channels/{1UL}/typing").Priority);
        Assert.Equal(RequestPriority.Normal, Route.Create(HttpMethod.Post, $"channels/{1UL}/messages").Priority);
        Assert.Equal(RequestPriority.Normal, Route.Create(HttpMethod.Post, $"channels/{1UL}/messages/{2UL}").Priority);
        Assert.Equal(RequestPriority.Normal, Route.Create(HttpMethod.Patch, $"webhooks/{1UL}/{"t"}/messages/{2UL}").Priority);
    }
}
