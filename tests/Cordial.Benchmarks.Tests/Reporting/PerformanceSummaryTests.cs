using Cordial.Benchmarks.Reporting;

namespace Cordial.Benchmarks.Tests.Reporting;

public sealed class PerformanceSummaryTests
{
    private static readonly PerformanceSummary.Run SampleRun = new(
        new DateTimeOffset(2026, 11, 21, 16, 30, 0, TimeSpan.Zero), "bash scripts/bench.sh", "0.50 1.00 1.50", "short");

    private static readonly Dictionary<string, BenchmarkTarget> Targets = new(StringComparer.Ordinal)
    {
        ["RateLimitAcquireBenchmarks.BucketAcquire"] = new(1_000, 0, "test"),
        ["RateLimitAcquireBenchmarks.ManagerAcquire"] = new(200, 0, "test"),
        ["PipelineOverheadBenchmarks.Stream_Pipeline(Tokens=100)"] = new(100_000, 4096, "test"),
        ["PipelineOverheadBenchmarks.Stream_Pipeline"] = new(50_000, null, "test"),
    };

    private static BenchmarkReport Sample => BenchmarkReport.Parse(File.ReadAllText(BenchmarkReportTests.SamplePath));

    private static string Row(string block, string name) =>
        Assert.Single(block.Split('\n'), line => line.StartsWith($"| {name} |", StringComparison.Ordinal));

    [Fact]
    public void Each_case_gets_a_row_with_mean_allocation_target_and_verdict()
    {
        var block = PerformanceSummary.Render(Sample, SampleRun, Targets);

        Assert.Equal("| RateLimitAcquireBenchmarks.BucketAcquire | 92.3 ns | 0 B | ≤ 1 µs, 0 B | met |", Row(block, "RateLimitAcquireBenchmarks.BucketAcquire"));
        Assert.Equal("| RateLimitAcquireBenchmarks.ManagerAcquire | 208 ns | 0 B | ≤ 200 ns, 0 B | missed (mean) |", Row(block, "RateLimitAcquireBenchmarks.ManagerAcquire"));
        Assert.Equal("| RateLimitAcquireBenchmarks.LockAndTimestamp | 41.5 ns | 0 B | — | — |", Row(block, "RateLimitAcquireBenchmarks.LockAndTimestamp"));
        Assert.Equal(
            "| PipelineOverheadBenchmarks.Stream_Pipeline(Tokens=100) | 12.9 µs | 4.41 KB | ≤ 100 µs, ≤ 4 KB | missed (allocated) |",
            Row(block, "PipelineOverheadBenchmarks.Stream_Pipeline(Tokens=100)"));
        // No target of its own: the method's applies; it produced no measurement.
        Assert.Equal("| PipelineOverheadBenchmarks.Stream_Pipeline(Tokens=1) | failed | — | ≤ 50 µs | failed |", Row(block, "PipelineOverheadBenchmarks.Stream_Pipeline(Tokens=1)"));
    }

    [Fact]
    public void The_heading_names_the_date_machine_load_runtime_and_command()
    {
        var block = PerformanceSummary.Render(Sample, SampleRun, Targets);

        Assert.StartsWith(PerformanceSummary.BeginMarker, block, StringComparison.Ordinal);
        Assert.EndsWith(PerformanceSummary.EndMarker, block, StringComparison.Ordinal);
        Assert.Contains("2026-11-21 16:30 UTC", block, StringComparison.Ordinal);
        Assert.Contains("2 CPUs (AMD EPYC)", block, StringComparison.Ordinal);
        Assert.Contains("load average at start 0.50 1.00 1.50", block, StringComparison.Ordinal);
        Assert.Contains(".NET 10.0.12", block, StringComparison.Ordinal);
        Assert.Contains("```bash\nbash scripts/bench.sh\n```", block.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("5 benchmarks, 4 with a target, 2 missed.", block, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(150.0, 0L, "met")]
    [InlineData(250.0, 0L, "missed (mean)")]
    [InlineData(150.0, 24L, "missed (allocated)")]
    [InlineData(250.0, 24L, "missed (mean, allocated)")]
    [InlineData(200.0, 0L, "met")]
    public void Verdict_compares_mean_and_allocation_with_the_target(double mean, long allocated, string expected)
    {
        var result = new BenchmarkResult("T", "M", "", mean, allocated);

        Assert.Equal(expected, PerformanceSummary.Verdict(result, new BenchmarkTarget(200, 0, "test")));
        Assert.Equal("—", PerformanceSummary.Verdict(result, null));
    }

    [Fact]
    public void A_byte_budget_is_missed_when_the_allocation_was_not_measured()
    {
        var result = new BenchmarkResult("T", "M", "", 10, AllocatedBytes: null);

        Assert.Equal("missed (allocated)", PerformanceSummary.Verdict(result, new BenchmarkTarget(200, 0, "test")));
        Assert.Equal("met", PerformanceSummary.Verdict(result, new BenchmarkTarget(200, null, "test")));
    }

    [Fact]
    public void Replacing_between_markers_keeps_the_rest_and_is_idempotent()
    {
        var document = "# Performance\n\nintro\n\n<!-- bench:begin -->\nold table\n<!-- bench:end -->\n\n## After\n\nkept\n";
        var block = PerformanceSummary.Render(Sample, SampleRun, Targets);

        var once = PerformanceSummary.ReplaceBetweenMarkers(document, block);
        var twice = PerformanceSummary.ReplaceBetweenMarkers(once, block);

        Assert.Equal(once, twice);
        Assert.DoesNotContain("old table", once, StringComparison.Ordinal);
        Assert.StartsWith("# Performance\n\nintro\n\n" + PerformanceSummary.BeginMarker, once, StringComparison.Ordinal);
        Assert.EndsWith(PerformanceSummary.EndMarker + "\n\n## After\n\nkept\n", once, StringComparison.Ordinal);
    }

    [Fact]
    public void A_document_without_markers_gets_a_section_at_its_end_once()
    {
        var block = PerformanceSummary.Render(Sample, SampleRun, Targets);

        var once = PerformanceSummary.ReplaceBetweenMarkers("# Performance\n\ntext\n", block);
        var twice = PerformanceSummary.ReplaceBetweenMarkers(once, block);

        Assert.Equal(once, twice);
        Assert.StartsWith("# Performance\n\ntext\n\n## Benchmark summary\n\n" + PerformanceSummary.BeginMarker, once, StringComparison.Ordinal);
    }

    [Fact]
    public void Windows_line_endings_are_kept()
    {
        var document = "# Performance\r\n<!-- bench:begin -->\r\nold\r\n<!-- bench:end -->\r\n";

        var updated = PerformanceSummary.ReplaceBetweenMarkers(document, PerformanceSummary.Render(Sample, SampleRun, Targets));

        Assert.DoesNotContain("\n", updated.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<!-- bench:end -->\n<!-- bench:begin -->")]
    [InlineData("<!-- bench:begin -->\nno end")]
    [InlineData("<!-- bench:begin -->\n<!-- bench:end -->\n<!-- bench:begin -->\n<!-- bench:end -->")]
    public void Broken_markers_are_refused_rather_than_guessed(string document)
    {
        Assert.Throws<InvalidDataException>(() => PerformanceSummary.ReplaceBetweenMarkers(document, "x"));
    }
}
