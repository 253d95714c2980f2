using Cordial.LoadTest;

namespace Cordial.Integration.Tests.LoadTest;

public sealed class TimelineTests
{
    [Fact]
    public void Counts_land_in_their_second_and_a_missed_sample_repeats_the_last_one()
    {
        var time = new ManualTimeProvider();
        var timeline = new Timeline(time, time.GetTimestamp(), maxSeconds: 10);

        timeline.Sent();
        timeline.Sent();
        timeline.SampleInFlight(2);
        time.Advance(TimeSpan.FromSeconds(1.5));
        timeline.Completed();
        timeline.Failed();
        time.Advance(TimeSpan.FromSeconds(1)); // second 1 got no sample
        timeline.SampleInFlight(0);

        var points = timeline.Points();

        Assert.Equal([0, 1, 2], points.Select(p => p.Second));
        Assert.Equal([2L, 0, 0], points.Select(p => p.Sent));
        Assert.Equal([0L, 1, 0], points.Select(p => p.Completed));
        Assert.Equal([0L, 1, 0], points.Select(p => p.Failed));
        Assert.Equal([2, 2, 0], points.Select(p => p.InFlight));
    }

    [Fact]
    public void Events_after_the_last_second_are_not_kept()
    {
        var time = new ManualTimeProvider();
        var timeline = new Timeline(time, time.GetTimestamp(), maxSeconds: 2);
        time.Advance(TimeSpan.FromSeconds(5));

        timeline.Sent();

        Assert.Empty(timeline.Points());
    }
}
