using Cordial.Discord.Gateway;

namespace Cordial.Discord.Tests.Gateway;

public sealed class GatewaySendLimiterTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    [Fact]
    public void Ordinary_sends_stop_short_of_the_limit_and_heartbeats_keep_their_slots()
    {
        var time = new ManualTimeProvider();
        var limiter = new GatewaySendLimiter(time, 120, 2, Window);
        var ct = TestContext.Current.CancellationToken;

        for (var i = 0; i < 118; i++)
        {
            Assert.True(limiter.WaitAsync(heartbeat: false, ct).AsTask().IsCompleted, $"send {i} should pass at once");
        }

        var presence = limiter.WaitAsync(heartbeat: false, ct).AsTask();
        Assert.False(presence.IsCompleted);

        Assert.True(limiter.WaitAsync(heartbeat: true, ct).AsTask().IsCompleted);
        Assert.True(limiter.WaitAsync(heartbeat: true, ct).AsTask().IsCompleted);
        var thirdHeartbeat = limiter.WaitAsync(heartbeat: true, ct).AsTask();
        Assert.False(thirdHeartbeat.IsCompleted);
        Assert.Equal(120, limiter.InWindow);

        time.Advance(Window);
        Assert.True(presence.IsCompleted);
        Assert.True(thirdHeartbeat.IsCompleted);
    }

    [Fact]
    public async Task No_window_ever_holds_more_sends_than_the_limit()
    {
        var time = new ManualTimeProvider();
        var limiter = new GatewaySendLimiter(time, 10, 2, Window);
        var ct = TestContext.Current.CancellationToken;
        var random = new Random(7);
        var sentAt = new List<DateTimeOffset>();
        var pending = new List<(Task Task, bool Recorded)>();

        for (var step = 0; step < 400; step++)
        {
            if (pending.Count(p => !p.Recorded) < 3)
            {
                pending.Add((limiter.WaitAsync(heartbeat: random.Next(10) == 0, ct).AsTask(), false));
            }

            time.Advance(TimeSpan.FromSeconds(random.NextDouble() * 3));
            for (var i = 0; i < pending.Count; i++)
            {
                if (pending[i].Task.IsCompleted && !pending[i].Recorded)
                {
                    await pending[i].Task;
                    sentAt.Add(time.GetUtcNow());
                    pending[i] = (pending[i].Task, true);
                }
            }
        }

        Assert.True(sentAt.Count > 50);
        foreach (var start in sentAt)
        {
            // Completion is observed at the end of an Advance step (≤ 3 s late), so allow for that slack.
            var inWindow = sentAt.Count(t => t >= start && t < start + Window - TimeSpan.FromSeconds(3));
            Assert.True(inWindow <= 10, $"{inWindow} sends in one window");
        }
    }

    [Fact]
    public async Task A_waiting_send_can_be_cancelled()
    {
        var time = new ManualTimeProvider();
        var limiter = new GatewaySendLimiter(time, 3, 1, Window);
        using var cts = new CancellationTokenSource();
        await limiter.WaitAsync(false, cts.Token);
        await limiter.WaitAsync(false, cts.Token);

        var waiting = limiter.WaitAsync(false, cts.Token).AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
