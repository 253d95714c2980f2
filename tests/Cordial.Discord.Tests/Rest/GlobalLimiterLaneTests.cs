using Cordial.Discord.Rest;
using Cordial.Discord.Rest.RateLimits;

namespace Cordial.Discord.Tests.Rest;

/// <summary>Deferrable requests (edits, typing) let other requests go first when the global limit is saturated, but not for long.</summary>
public sealed class GlobalLimiterLaneTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_waiting_request_goes_before_an_edit_that_queued_earlier()
    {
        var time = new ManualTimeProvider();
        using var limiter = new GlobalRateLimiter(time, limit: 1, TimeSpan.FromSeconds(1));
        await limiter.AcquireAsync(Token);

        var edit = limiter.AcquireAsync(deferrable: true, Token).AsTask();
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

        var edit = limiter.AcquireAsync(deferrable: true, Token).AsTask();
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
        var first = limiter.AcquireAsync(deferrable: true, Token);
        Assert.True(first.IsCompletedSuccessfully);

        var create = limiter.AcquireAsync(Token).AsTask();
        var later = limiter.AcquireAsync(deferrable: true, Token).AsTask();
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
        var gone = limiter.AcquireAsync(deferrable: true, cancel.Token).AsTask();
        var edit = limiter.AcquireAsync(deferrable: true, Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gone);

        limiter.Release(sent: true);
        time.Advance(TimeSpan.FromSeconds(1));
        await edit.WaitAsync(TimeSpan.FromSeconds(30), Token);
    }

    [Theory]
    [InlineData("PATCH", true)]
    [InlineData("POST", false)]
    public void Message_edits_and_typing_are_deferrable_and_nothing_else(string method, bool editDeferrable)
    {
        var verb = new HttpMethod(method);
        Assert.Equal(editDeferrable, Route.Create(verb, $"channels/{1UL}/messages/{2UL}").IsDeferrable);
        Assert.False(Route.Create(verb, $"channels/{1UL}/messages").IsDeferrable);
        Assert.True(Route.Create(HttpMethod.Post, $"channels/{1UL}/typing").IsDeferrable);
        Assert.False(Route.Create(HttpMethod.Get, $"channels/{1UL}/messages/{2UL}").IsDeferrable);
    }
}
