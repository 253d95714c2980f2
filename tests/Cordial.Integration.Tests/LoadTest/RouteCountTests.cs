using Cordial.LoadTest;

namespace Cordial.Integration.Tests.LoadTest;

public sealed class RouteCountTests
{
    [Fact]
    public void Counts_are_the_window_s_differences_most_used_first_and_idle_routes_left_out()
    {
        var start = new Dictionary<string, long> { ["GET /a"] = 5, ["POST /b"] = 10, ["PATCH /c"] = 1 };
        var end = new Dictionary<string, long> { ["GET /a"] = 5, ["POST /b"] = 13, ["PATCH /c"] = 9, ["POST /d"] = 3 };

        var counts = RouteCount.Between(start, end);

        Assert.Equal([new RouteCount("PATCH /c", 8), new RouteCount("POST /b", 3), new RouteCount("POST /d", 3)], counts);
    }
}
