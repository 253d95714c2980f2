using System.Text.Json;
using Cordial.LoadTest;

namespace Cordial.Integration.Tests.LoadTest;

public sealed class ReportTests
{
    private static LoadTestReport Sample(bool withBot)
    {
        var samples = new LatencySamples();
        foreach (var v in new double[] { 10, 20, 30, 400 })
        {
            samples.Add(v);
        }

        var overhead = new BotOverhead(5, 100, 200, 300, 400, [new HistogramBucket(100, 3), new HistogramBucket(null, 2)]);
        return new LoadTestReport
        {
            Command = "cordial loadtest --users 3 <script>",
            Users = 3,
            MeasuredSeconds = 10,
            Replies = 12,
            RepliesInWindow = 10,
            MessagesPerSecond = 1,
            Errors = 1,
            ErrorReasons = [new ErrorCount("no complete answer within 120 s (seen: nothing)", 1)],
            TimeToFirstMessage = samples.Summarize(),
            AnswerTime = samples.Summarize(),
            Bot = withBot ? new BotStats(12, 20, 12, 0, overhead, overhead, overhead, new BotProcessStats(1.5, 50_000_000, 60_000_000, 3, 2, 1, 4.5, 123_456_789, 8, 0)) : null,
            BotStatsError = withBot ? null : "the bot has no /stats endpoint (404)",
            Timeline = [new TimelinePoint(0, 3, 0, 0, 3), new TimelinePoint(1, 2, 3, 1, 2)],
        };
    }

    [Fact]
    public void The_text_report_has_every_figure_on_its_own_line()
    {
        var text = LoadTestTextReport.Render(Sample(withBot: true));
        var lines = text.Split('\n');

        foreach (var name in LoadTestTextReport.FigureNames)
        {
            Assert.Single(lines, l => l.StartsWith(name + ": ", StringComparison.Ordinal));
        }

        Assert.Contains("errors: 1", lines);
        Assert.Contains("bot gc gen2: 1", lines);
        Assert.Contains("bot gc heap limit MB: none", lines);
        Assert.Contains("result: FAIL (errors or 429s above 0)", lines);
        Assert.Contains(lines, l => l.Contains("1 × no complete answer", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_figures_read_n_a_and_say_why()
    {
        var text = LoadTestTextReport.Render(Sample(withBot: false));

        Assert.Contains("bot overhead message→request p99 µs: n/a\n", text, StringComparison.Ordinal);
        Assert.Contains("no /stats endpoint", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_html_report_is_self_contained_with_histograms_and_a_timeline()
    {
        var html = LoadTestHtmlReport.Render(Sample(withBot: true));

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal); // the command is encoded
        Assert.Equal(5, html.Split("<svg").Length - 1); // timeline + 2 latency + 2 overhead histograms
        Assert.Contains("<polyline", html, StringComparison.Ordinal);
        Assert.Contains("time to first Discord message", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_json_report_round_trips_the_figures()
    {
        var report = Sample(withBot: true);
        var json = JsonSerializer.Serialize(report, LoadTestJsonContext.Default.LoadTestReport);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;

        Assert.Equal(report.Errors, root.GetProperty("errors").GetInt64());
        Assert.Equal(report.TimeToFirstMessage.P99Ms, root.GetProperty("timeToFirstMessage").GetProperty("p99Ms").GetDouble());
        Assert.Equal(report.Bot!.TokenToDiscord.P99Us, root.GetProperty("bot").GetProperty("tokenToDiscord").GetProperty("p99Us").GetDouble());
        Assert.False(root.GetProperty("passed").GetBoolean());
    }

    [Fact]
    public void Fine_buckets_are_merged_into_the_reports_bounds_without_losing_a_count()
    {
        HistogramBucket[] fine = [new(0.7, 1), new(1, 2), new(1.03, 4), new(19.5, 8), new(20.6, 16), new(1e9, 32), new(null, 64)];

        var coarse = LoadTestHtmlReport.Coarsen(fine);

        Assert.Equal(fine.Sum(b => b.Count), coarse.Sum(b => b.Count));
        Assert.Equal(1 + 2, coarse.Single(b => b.Le == 1).Count);
        Assert.Equal(4, coarse.Single(b => b.Le == 2).Count);
        Assert.Equal(8, coarse.Single(b => b.Le == 20).Count);
        Assert.Equal(16, coarse.Single(b => b.Le == 50).Count);
        Assert.Equal(32 + 64, coarse[^1].Count);
    }

    [Fact]
    public void Process_figures_are_parsed_from_proc_text()
    {
        // A command name may hold spaces and parentheses; fields 14 and 15 are utime and stime in 1/100 s.
        var stat = "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 12 0 1234 5678 910 0";
        Assert.Equal((250 + 75) / 100.0, ProcessFigures.ParseCpuSeconds(stat));
        string[] status = ["Name:\tcordial", "VmHWM:\t  123456 kB", "VmRSS:\t   65432 kB"];
        Assert.Equal(123456, ProcessFigures.StatusKilobytes(status, "VmHWM:"));
        Assert.Equal(65432, ProcessFigures.StatusKilobytes(status, "VmRSS:"));
        Assert.Null(ProcessFigures.StatusKilobytes(status, "VmSwap:"));
    }

    [Fact]
    public void This_process_can_be_measured_from_outside()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "/proc is Linux only");
        var figures = ProcessFigures.Read(Environment.ProcessId);

        Assert.NotNull(figures.CpuSeconds);
        Assert.True(figures.PeakRssBytes >= figures.RssBytes);
        Assert.True(figures.RssBytes > 0);
    }
}
