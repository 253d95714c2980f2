using Cordial.Bot.Delivery;
using Cordial.Testing;

namespace Cordial.Bot.Tests.Delivery;

public sealed class WakeSignalTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public async Task A_set_before_the_wait_is_taken_once()
    {
        using var signal = new WakeSignal(_time, CancellationToken.None);
        signal.Set();
        signal.Set(); // auto-reset: two sets before a wait wake it once

        Assert.True(await signal.WaitAsync(TimeSpan.Zero));
        Assert.False(await signal.WaitAsync(TimeSpan.Zero));
    }

    [Fact]
    public async Task A_pending_wait_is_woken_by_a_set_and_the_signal_can_be_waited_again()
    {
        using var signal = new WakeSignal(_time, CancellationToken.None);
        for (var round = 0; round < 3; round++)
        {
            var wait = signal.WaitAsync().AsTask();
            Assert.False(wait.IsCompleted);

            signal.Set();
            Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task A_time_limit_that_passes_is_a_false_result_not_an_exception()
    {
        using var signal = new WakeSignal(_time, CancellationToken.None);
        var wait = signal.WaitAsync(TimeSpan.FromSeconds(2)).AsTask();

        _time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.5));

        Assert.False(await wait.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_earlier_waits_timer_does_not_end_a_later_wait_before_its_own_deadline()
    {
        using var signal = new WakeSignal(_time, CancellationToken.None);
        var first = signal.WaitAsync(TimeSpan.FromSeconds(1)).AsTask();
        signal.Set();
        Assert.True(await first.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));

        var second = signal.WaitAsync(TimeSpan.FromSeconds(5)).AsTask();
        _time.Advance(TimeSpan.FromSeconds(1)); // the first wait's deadline
        Assert.False(second.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(4));

        Assert.False(await second.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_earlier_waits_timer_leaves_a_later_wait_without_a_time_limit_alone()
    {
        using var signal = new WakeSignal(_time, CancellationToken.None);
        var first = signal.WaitAsync(TimeSpan.FromSeconds(1)).AsTask();
        signal.Set();
        Assert.True(await first.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));

        var second = signal.WaitAsync().AsTask();
        _time.Advance(TimeSpan.FromSeconds(2)); // the first wait's timer fires now

        Assert.False(second.IsCompleted);
        Assert.Equal(0, _time.ActiveTimers);
        signal.Set();
        Assert.True(await second.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Cancellation_ends_a_pending_wait_and_every_later_one()
    {
        using var stop = new CancellationTokenSource();
        using var signal = new WakeSignal(_time, stop.Token);
        var wait = signal.WaitAsync().AsTask();

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        signal.Set();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => signal.WaitAsync().AsTask());
    }

    [Fact]
    public async Task A_second_waiter_at_the_same_time_is_refused()
    {
        using var signal = new WakeSignal(_time, CancellationToken.None);
        var wait = signal.WaitAsync().AsTask();

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await signal.WaitAsync());

        signal.Set();
        Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_last_set_from_another_thread_always_wakes_a_waiter_without_a_time_limit()
    {
        using var signal = new WakeSignal(TimeProvider.System, CancellationToken.None);
        const int count = 20_000;
        var produced = 0;
        var consumer = Task.Run(async () =>
        {
            // Lost wake-ups would leave this loop waiting forever (no time limit): the test then fails on its timeout.
            while (Volatile.Read(ref produced) < count)
            {
                await signal.WaitAsync();
            }
        }, TestContext.Current.CancellationToken);
        var producer = Task.Run(() =>
        {
            for (var i = 0; i < count; i++)
            {
                Interlocked.Increment(ref produced);
                signal.Set();
            }
        }, TestContext.Current.CancellationToken);

        await Task.WhenAll(producer, consumer).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }
}
