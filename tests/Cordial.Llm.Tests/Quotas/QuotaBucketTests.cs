using Cordial.Llm.Quotas;

namespace Cordial.Llm.Tests.Quotas;

public sealed class QuotaBucketTests
{
    private const long Now = 639_000_000_000_000_000;

    [Theory]
    [InlineData(1, 7)]
    [InlineData(3, 1_000_000)]
    [InlineData(999_999, 1_000)]
    public void A_use_costs_its_share_of_the_window_rounded_up(long amount, long limit)
    {
        var exact = (decimal)amount * TimeSpan.TicksPerMinute / limit;

        var cost = QuotaBucket.Cost(amount, TimeSpan.TicksPerMinute, limit);

        Assert.Equal((long)Math.Ceiling(exact), cost);
    }

    [Fact]
    public void Huge_token_reports_are_charged_without_overflow_up_to_a_year_of_debt()
    {
        var cost = QuotaBucket.Cost(long.MaxValue / 2, TimeSpan.TicksPerDay, 10);
        var charged = QuotaBucket.Charge(Now + TimeSpan.TicksPerDay, Now, TimeSpan.TicksPerDay, 10, long.MaxValue / 2);

        Assert.Equal(366 * TimeSpan.TicksPerDay, cost);
        Assert.Equal(Now + (366 * TimeSpan.TicksPerDay), charged);
        Assert.False(QuotaBucket.HasRoom(charged, Now, TimeSpan.TicksPerDay, out var wait));
        Assert.Equal(charged - Now - TimeSpan.TicksPerDay + 1, wait);
    }

    [Fact]
    public void What_is_left_follows_the_refill()
    {
        Assert.Equal(10, QuotaBucket.Remaining(0, Now, TimeSpan.TicksPerMinute, 10));
        Assert.Equal(5, QuotaBucket.Remaining(Now + (TimeSpan.TicksPerMinute / 2), Now, TimeSpan.TicksPerMinute, 10));
        Assert.Equal(0, QuotaBucket.Remaining(Now + TimeSpan.TicksPerMinute, Now, TimeSpan.TicksPerMinute, 10));
        Assert.Equal(0, QuotaBucket.Remaining(Now + (2 * TimeSpan.TicksPerMinute), Now, TimeSpan.TicksPerMinute, 10));
    }
}
