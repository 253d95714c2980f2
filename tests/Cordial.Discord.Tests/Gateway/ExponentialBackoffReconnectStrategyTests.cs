using Cordial.Discord.Gateway;

namespace Cordial.Discord.Tests.Gateway;

public sealed class ExponentialBackoffReconnectStrategyTests
{
    [Fact]
    public void Delays_double_up_to_the_maximum_without_jitter_at_the_top()
    {
        var strategy = new ExponentialBackoffReconnectStrategy(() => 1.0) { InitialDelay = TimeSpan.FromSeconds(1), MaximumDelay = TimeSpan.FromSeconds(10) };

        var delays = strategy.GetDelays().Take(7).Select(d => d.TotalSeconds).ToArray();

        Assert.Equal([1, 2, 4, 8, 10, 10, 10], delays);
    }

    [Fact]
    public void Jitter_keeps_each_delay_between_half_and_all_of_its_ceiling()
    {
        var random = new Random(42);
        var strategy = new ExponentialBackoffReconnectStrategy(random.NextDouble) { InitialDelay = TimeSpan.FromSeconds(1), MaximumDelay = TimeSpan.FromSeconds(60) };

        var ceiling = 1.0;
        var distinct = new HashSet<double>();
        foreach (var delay in strategy.GetDelays().Take(50))
        {
            Assert.InRange(delay.TotalSeconds, ceiling / 2, ceiling);
            distinct.Add(delay.TotalSeconds / ceiling);
            ceiling = Math.Min(ceiling * 2, 60);
        }

        Assert.True(distinct.Count > 10, "jitter should vary the delays");
    }

    [Fact]
    public void Each_enumeration_starts_again_from_the_initial_delay()
    {
        var strategy = new ExponentialBackoffReconnectStrategy(() => 1.0);
        _ = strategy.GetDelays().Take(5).ToArray();

        Assert.Equal(TimeSpan.FromSeconds(1), strategy.GetDelays().First());
    }
}
