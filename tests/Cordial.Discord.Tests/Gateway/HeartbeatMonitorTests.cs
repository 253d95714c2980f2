using Cordial.Discord.Gateway;

namespace Cordial.Discord.Tests.Gateway;

public sealed class HeartbeatMonitorTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(40);

    [Fact]
    public void First_beat_comes_after_interval_times_jitter_then_every_interval()
    {
        var time = new ManualTimeProvider();
        int beats = 0, zombies = 0;
        using var monitor = new HeartbeatMonitor(time, Interval, 0.25, () => beats++, () => zombies++);
        monitor.Start();

        time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.Equal(0, beats);
        time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(1, beats);

        monitor.Acknowledge();
        time.Advance(Interval - TimeSpan.FromSeconds(0.1));
        Assert.Equal(1, beats);
        time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(2, beats);
        Assert.Equal(0, zombies);
    }

    [Fact]
    public void Latency_is_the_time_from_beat_to_ack()
    {
        var time = new ManualTimeProvider();
        using var monitor = new HeartbeatMonitor(time, Interval, 0, () => { }, () => { });
        monitor.Start();
        time.Advance(TimeSpan.Zero);
        Assert.Null(monitor.Latency);

        time.Advance(TimeSpan.FromMilliseconds(137));
        monitor.Acknowledge();

        Assert.Equal(TimeSpan.FromMilliseconds(137), monitor.Latency);
    }

    [Fact]
    public void A_beat_due_while_the_previous_is_unacknowledged_is_a_zombie_reported_once()
    {
        var time = new ManualTimeProvider();
        int beats = 0, zombies = 0;
        using var monitor = new HeartbeatMonitor(time, Interval, 0.5, () => beats++, () => zombies++);
        monitor.Start();

        time.Advance(Interval * 0.5);
        Assert.Equal((1, 0), (beats, zombies));

        time.Advance(Interval);
        Assert.Equal((1, 1), (beats, zombies));

        time.Advance(Interval * 5);
        Assert.Equal((1, 1), (beats, zombies));
        Assert.Equal(0, time.ActiveTimers);
    }

    [Fact]
    public void Acknowledged_beats_never_become_zombies()
    {
        var time = new ManualTimeProvider();
        int beats = 0, zombies = 0;
        using var monitor = new HeartbeatMonitor(time, Interval, 1, () => beats++, () => zombies++);
        monitor.Start();

        for (var i = 0; i < 20; i++)
        {
            time.Advance(Interval);
            monitor.Acknowledge();
        }

        Assert.Equal(20, beats);
        Assert.Equal(0, zombies);
    }

    [Fact]
    public void Dispose_stops_the_timer()
    {
        var time = new ManualTimeProvider();
        var beats = 0;
        var monitor = new HeartbeatMonitor(time, Interval, 0, () => beats++, () => { });
        monitor.Start();
        time.Advance(TimeSpan.Zero);
        monitor.Dispose();

        time.Advance(Interval * 3);
        Assert.Equal(1, beats);
        Assert.Equal(0, time.ActiveTimers);
    }
}
