using Cordial.Discord.Rest.RateLimits;

namespace Cordial.Discord.Tests.Rest;

public sealed class InvalidRequestWindowTests
{
    [Fact]
    public void Counts_slide_out_after_ten_minutes_slot_by_slot()
    {
        var time = new ManualTimeProvider();
        var window = new InvalidRequestWindow(time);
        for (var minute = 0; minute < 10; minute++)
        {
            window.Record();
            time.Advance(TimeSpan.FromMinutes(1));
        }

        // Recorded at minutes 0..9; now is minute 10: the first has left the window.
        Assert.Equal(9, window.Count);
        time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(5, window.Count);
        Assert.Equal(6, window.Record());
        time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(0, window.Count);
    }
}
