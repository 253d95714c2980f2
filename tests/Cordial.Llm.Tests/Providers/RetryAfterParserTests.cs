using Cordial.Llm.Providers;

namespace Cordial.Llm.Tests.Providers;

public sealed class RetryAfterParserTests
{
    private static readonly ManualTimeProvider Clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("1500", "20", 1.5)]
    [InlineData(null, "20", 20.0)]
    [InlineData(null, "0.5", 0.5)]
    [InlineData(null, "Sun, 01 Mar 2026 12:00:30 GMT", 30.0)]
    [InlineData(null, "Sun, 01 Mar 2026 11:00:00 GMT", 0.0)]
    [InlineData("junk", "7", 7.0)]
    [InlineData(null, "999999", 3600.0)]
    public void Reads_milliseconds_seconds_and_dates(string? ms, string? header, double expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), RetryAfterParser.Parse(ms, header, Clock));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(null, "soon")]
    [InlineData("-5", "-5")]
    public void Ignores_what_it_cannot_read(string? ms, string? header)
    {
        Assert.Null(RetryAfterParser.Parse(ms, header, Clock));
    }
}
