using Cordial.LoadTest;

namespace Cordial.Integration.Tests.LoadTest;

public sealed class ScenarioMixTests
{
    [Theory]
    [InlineData(70, 20, 10)]
    [InlineData(1, 0, 3)]
    [InlineData(0, 5, 0)]
    [InlineData(33, 33, 34)]
    public void Evenly_spread_samples_follow_the_weights_exactly(int mention, int slash, int image)
    {
        var mix = new ScenarioMix(mention, slash, image);
        var total = mention + slash + image;
        var perWeight = 50;
        var samples = total * perWeight;
        var counts = new Dictionary<ScenarioKind, int>();

        for (var i = 0; i < samples; i++)
        {
            var kind = mix.Sample((i + 0.5) / samples);
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
        }

        Assert.Equal(mention * perWeight, counts.GetValueOrDefault(ScenarioKind.Mention));
        Assert.Equal(slash * perWeight, counts.GetValueOrDefault(ScenarioKind.Slash));
        Assert.Equal(image * perWeight, counts.GetValueOrDefault(ScenarioKind.Image));
    }

    [Fact]
    public void Random_samples_come_near_the_default_shares()
    {
        var random = new Random(42);
        var counts = new Dictionary<ScenarioKind, int>();
        const int samples = 100_000;
        for (var i = 0; i < samples; i++)
        {
            var kind = ScenarioMix.Default.Sample(random.NextDouble());
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
        }

        Assert.InRange(counts[ScenarioKind.Mention] / (double)samples, 0.69, 0.71);
        Assert.InRange(counts[ScenarioKind.Slash] / (double)samples, 0.19, 0.21);
        Assert.InRange(counts[ScenarioKind.Image] / (double)samples, 0.09, 0.11);
    }

    [Fact]
    public void Parse_accepts_any_order_and_spacing_and_round_trips()
    {
        var mix = ScenarioMix.Parse(" image=1 , mention=2,slash=3 ");

        Assert.Equal((2, 3, 1), (mix.Mention, mix.Slash, mix.Image));
        var again = ScenarioMix.Parse(mix.ToString());
        Assert.Equal((mix.Mention, mix.Slash, mix.Image), (again.Mention, again.Slash, again.Image));
    }

    [Theory]
    [InlineData("mention=1,mention=2", "twice")]
    [InlineData("mention", "mention=<whole number")]
    [InlineData("", "--mix needs a value")]
    public void Parse_refuses_malformed_mixes(string text, string message)
    {
        var ex = Assert.Throws<FormatException>(() => ScenarioMix.Parse(text));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Sample_refuses_numbers_outside_the_unit_interval(double uniform) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ScenarioMix.Default.Sample(uniform));
}
