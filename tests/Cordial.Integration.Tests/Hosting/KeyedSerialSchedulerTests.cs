using System.Collections.Concurrent;
using Cordial.Hosting;

namespace Cordial.Integration.Tests.Hosting;

public sealed class KeyedSerialSchedulerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Items_of_one_key_run_one_at_a_time_in_the_order_given()
    {
        var order = new ConcurrentQueue<int>();
        var running = 0;
        var overlap = false;
        using var scheduler = new KeyedSerialScheduler<int>(maxConcurrent: 8, capacity: 1000, async item =>
        {
            if (Interlocked.Increment(ref running) > 1)
            {
                overlap = true;
            }

            await Task.Yield();
            order.Enqueue(item);
            Interlocked.Decrement(ref running);
        });

        for (var i = 0; i < 200; i++)
        {
            await scheduler.EnqueueAsync(key: 7, i, Token);
        }

        scheduler.Complete();
        await scheduler.Completion.WaitAsync(TimeSpan.FromSeconds(30), Token);

        Assert.False(overlap);
        Assert.Equal(Enumerable.Range(0, 200), order);
        Assert.Equal(0, scheduler.ActiveKeys);
    }

    [Fact]
    public async Task An_idle_keys_item_starts_on_the_givers_thread_and_a_busy_keys_item_waits_its_turn()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var startedOn = new ConcurrentDictionary<int, int>();
        using var scheduler = new KeyedSerialScheduler<int>(maxConcurrent: 8, capacity: 100, async item =>
        {
            startedOn[item] = Environment.CurrentManagedThreadId;
            await release.Task;
        });

        // No trip through the thread pool's queue before an item of an idle key starts: it has started when the call returns.
        var giver = Environment.CurrentManagedThreadId;
        await scheduler.EnqueueAsync(key: 1, 10, Token);
        await scheduler.EnqueueAsync(key: 1, 11, Token);
        Assert.Equal(giver, startedOn[10]);
        Assert.False(startedOn.ContainsKey(11)); // behind 10, which still runs

        release.SetResult();
        scheduler.Complete();
        await scheduler.Completion.WaitAsync(TimeSpan.FromSeconds(30), Token);
        Assert.True(startedOn.ContainsKey(11));
    }

    [Fact]
    public async Task A_held_item_holds_up_its_own_key_only()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var done = new ConcurrentQueue<string>();
        using var scheduler = new KeyedSerialScheduler<string>(maxConcurrent: 4, capacity: 100, async item =>
        {
            if (item == "a1")
            {
                await release.Task;
            }

            done.Enqueue(item);
        });

        await scheduler.EnqueueAsync(1, "a1", Token);
        await scheduler.EnqueueAsync(1, "a2", Token);
        await scheduler.EnqueueAsync(2, "b1", Token);
        await scheduler.EnqueueAsync(3, "interaction", Token);

        await Eventually.UntilAsync(() => done.Count == 2, "the other keys' items");
        Assert.Equal(["b1", "interaction"], done.Order());
        Assert.DoesNotContain("a2", done);

        release.SetResult();
        scheduler.Complete();
        await scheduler.Completion.WaitAsync(TimeSpan.FromSeconds(30), Token);
        Assert.Equal(["a1", "a2", "b1", "interaction"], done.Order());
    }

    [Fact]
    public async Task No_more_than_the_limit_run_at_once()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = 0;
        var peak = 0;
        using var scheduler = new KeyedSerialScheduler<int>(maxConcurrent: 3, capacity: 100, async _ =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            await release.Task;
            Interlocked.Decrement(ref running);
        });

        for (var key = 0UL; key < 10; key++)
        {
            await scheduler.EnqueueAsync(key, 0, Token);
        }

        await Eventually.UntilAsync(() => Volatile.Read(ref running) == 3, "three running");
        release.SetResult();
        scheduler.Complete();
        await scheduler.Completion.WaitAsync(TimeSpan.FromSeconds(30), Token);
        Assert.Equal(3, peak);
    }

    [Fact]
    public async Task A_full_scheduler_makes_the_producer_wait_and_loses_nothing()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handled = 0;
        using var scheduler = new KeyedSerialScheduler<int>(maxConcurrent: 2, capacity: 3, async _ =>
        {
            await release.Task;
            Interlocked.Increment(ref handled);
        });

        for (var i = 0; i < 3; i++)
        {
            await scheduler.EnqueueAsync((ulong)i, i, Token);
        }

        var fourth = scheduler.EnqueueAsync(3, 3, Token).AsTask();
        await Task.Delay(100, Token);
        Assert.False(fourth.IsCompleted);

        release.SetResult();
        await fourth.WaitAsync(TimeSpan.FromSeconds(30), Token);
        scheduler.Complete();
        await scheduler.Completion.WaitAsync(TimeSpan.FromSeconds(30), Token);
        Assert.Equal(4, handled);
        Assert.Throws<InvalidOperationException>(() => scheduler.EnqueueAsync(9, 9, Token).AsTask().GetAwaiter().GetResult());
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
