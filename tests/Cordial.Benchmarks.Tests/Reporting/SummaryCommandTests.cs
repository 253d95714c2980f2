using Cordial.Benchmarks.Reporting;

namespace Cordial.Benchmarks.Tests.Reporting;

public sealed class SummaryCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cordial-bench-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Results()
    {
        var results = Directory.CreateDirectory(Path.Combine(_directory, "results")).FullName;
        File.Copy(BenchmarkReportTests.SamplePath, Path.Combine(results, "RateLimitAcquireBenchmarks-report-full-compressed.json"));
        return results;
    }

    [Fact]
    public void Writes_the_table_between_the_markers_of_the_document_and_prints_it()
    {
        var document = Path.Combine(_directory, "PERFORMANCE.md");
        File.WriteAllText(document, "# Performance\n\n<!-- bench:begin -->\n<!-- bench:end -->\n\n## Notes\n");
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 21, 16, 45, 0, TimeSpan.Zero));
        var output = new StringWriter();
        var error = new StringWriter();
        string[] args = [SummaryCommand.Verb, document, "--results", Results(), "--command", "bash scripts/bench.sh", "--load", "1.00 2.00 3.00", "--job", "short"];

        Assert.Equal(0, SummaryCommand.Run(args, output, error, time));
        var first = File.ReadAllText(document);
        Assert.Equal(0, SummaryCommand.Run(args, new StringWriter(), error, time));

        Assert.Equal(first, File.ReadAllText(document));
        Assert.Equal("", error.ToString());
        Assert.Contains("| RateLimitAcquireBenchmarks.ManagerAcquire | 208 ns | 0 B | ≤ 200 ns, 0 B | missed (mean) |", first, StringComparison.Ordinal);
        Assert.Contains("2026-11-21 16:45 UTC", first, StringComparison.Ordinal);
        Assert.EndsWith("<!-- bench:end -->\n\n## Notes\n", first, StringComparison.Ordinal);
        Assert.Contains("| RateLimitAcquireBenchmarks.ManagerAcquire |", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_dash_prints_the_table_without_writing_anything()
    {
        var output = new StringWriter();

        Assert.Equal(0, SummaryCommand.Run([SummaryCommand.Verb, "-", "--results", Results()], output, new StringWriter(), TimeProvider.System));

        Assert.Contains(PerformanceSummary.BeginMarker, output.ToString(), StringComparison.Ordinal);
        Assert.Single(Directory.EnumerateFileSystemEntries(_directory)); // only the results folder
    }

    [Theory]
    [InlineData("--results")]
    [InlineData("--bogus")]
    [InlineData("--missing-results")]
    [InlineData("--empty-results")]
    [InlineData("--broken-results")]
    public void Bad_arguments_or_reports_give_a_reason_and_exit_code_2(string problem)
    {
        var empty = Directory.CreateDirectory(Path.Combine(_directory, "empty")).FullName;
        var broken = Directory.CreateDirectory(Path.Combine(_directory, "broken")).FullName;
        File.WriteAllText(Path.Combine(broken, "x-report.json"), "{ not json");
        string[] args = problem switch
        {
            "--results" => [SummaryCommand.Verb, "-"],
            "--bogus" => [SummaryCommand.Verb, "-", "--results", empty, "--bogus", "1"],
            "--missing-results" => [SummaryCommand.Verb, "-", "--results", Path.Combine(_directory, "nowhere")],
            "--empty-results" => [SummaryCommand.Verb, "-", "--results", empty],
            _ => [SummaryCommand.Verb, "-", "--results", broken],
        };
        var error = new StringWriter();

        Assert.Equal(2, SummaryCommand.Run(args, new StringWriter(), error, TimeProvider.System));

        Assert.StartsWith(SummaryCommand.Verb + ":", error.ToString(), StringComparison.Ordinal);
    }
}
