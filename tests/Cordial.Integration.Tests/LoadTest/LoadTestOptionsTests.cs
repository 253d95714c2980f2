using Cordial.LoadTest;

namespace Cordial.Integration.Tests.LoadTest;

public sealed class LoadTestOptionsTests
{
    private static LoadTestOptions Parse(params string[] args) => LoadTestOptions.Parse(CommandArguments.Parse(args));

    [Fact]
    public void Flags_are_read_and_the_rest_keeps_its_default()
    {
        var options = Parse("--users", "7", "--duration", "9", "--guilds", "2", "--channels", "3", "--ttft-ms", "20", "--mix", "mention=1,slash=2", "--out", "reports");
        var defaults = new LoadTestOptions();

        Assert.Equal(7, options.Users);
        Assert.Equal(9, options.DurationSeconds);
        Assert.Equal(2, options.Guilds);
        Assert.Equal(3, options.ChannelsPerGuild);
        Assert.Equal(20, options.TimeToFirstTokenMs);
        Assert.Equal((1, 2, 0), (options.Mix.Mention, options.Mix.Slash, options.Mix.Image));
        Assert.Equal(defaults.TokensPerSecond, options.TokensPerSecond);
        Assert.Equal(defaults.AnswerTokens, options.AnswerTokens);
        Assert.Equal(defaults.WarmupSeconds, options.WarmupSeconds);
        Assert.Equal(Path.Combine("reports", "loadtest.json"), options.JsonReportPath);
        Assert.Equal(Path.Combine("reports", "loadtest.html"), options.HtmlReportPath);
    }

    [Fact]
    public void Json_and_html_paths_win_over_the_out_directory()
    {
        var options = Parse("--out", "dir", "--json", "a.json", "--html", "b.html");

        Assert.Equal("a.json", options.JsonReportPath);
        Assert.Equal("b.html", options.HtmlReportPath);
    }

    [Theory]
    [InlineData("--users", "0", "--users")]
    [InlineData("--users", "many", "--users")]
    [InlineData("--duration", "-1", "--duration")]
    [InlineData("--ttft-ms", "x", "--ttft-ms")]
    [InlineData("--tokens-per-second", "-5", "--tokens-per-second")]
    [InlineData("--answer-tokens", "0", "--answer-tokens")]
    [InlineData("--channels", "0", "--channels")]
    [InlineData("--mix", "mention=70,dance=30", "dance")]
    [InlineData("--mix", "mention=-1", "mention=-1")]
    [InlineData("--mix", "mention=0,slash=0", "at least one weight")]
    [InlineData("--speed", "3", "--speed")]
    public void A_bad_flag_is_refused_with_a_message_naming_it(string flag, string value, string named)
    {
        var ex = Assert.Throws<FormatException>(() => Parse(flag, value));

        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_many_channels_in_total_are_refused()
    {
        var ex = Assert.Throws<FormatException>(() => Parse("--guilds", "1000", "--channels", "400"));

        Assert.Contains("--guilds × --channels", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_flag_without_a_path_is_refused()
    {
        var ex = Assert.Throws<FormatException>(() => Parse("--json"));

        Assert.Contains("--json", ex.Message, StringComparison.Ordinal);
    }
}
