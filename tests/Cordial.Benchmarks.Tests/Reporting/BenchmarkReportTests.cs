using Cordial.Benchmarks.Reporting;

namespace Cordial.Benchmarks.Tests.Reporting;

public sealed class BenchmarkReportTests
{
    internal static string SamplePath => Path.Combine(AppContext.BaseDirectory, "Reporting", "sample-report.json");

    [Fact]
    public void Reads_every_case_with_its_mean_allocation_and_parameters()
    {
        var report = BenchmarkReport.Parse(File.ReadAllText(SamplePath));

        Assert.Equal(
            [
                "RateLimitAcquireBenchmarks.LockAndTimestamp",
                "RateLimitAcquireBenchmarks.BucketAcquire",
                "RateLimitAcquireBenchmarks.ManagerAcquire",
                "PipelineOverheadBenchmarks.Stream_Pipeline(Tokens=100)",
                "PipelineOverheadBenchmarks.Stream_Pipeline(Tokens=1)",
            ],
            report.Results.Select(r => r.Name));
        var manager = report.Results[2];
        Assert.Equal(208.4, manager.MeanNanoseconds);
        Assert.Equal(0, manager.AllocatedBytes);
        var stream = report.Results[3];
        Assert.Equal(12_900, stream.MeanNanoseconds);
        Assert.Equal(4512, stream.AllocatedBytes);
        Assert.Equal("PipelineOverheadBenchmarks.Stream_Pipeline", stream.MethodName);
    }

    [Fact]
    public void A_failed_case_has_no_mean_and_a_case_without_the_memory_diagnoser_no_allocation()
    {
        var failed = BenchmarkReport.Parse(File.ReadAllText(SamplePath)).Results[4];

        Assert.Null(failed.MeanNanoseconds);
        Assert.Null(failed.AllocatedBytes);
    }

    [Fact]
    public void Reads_the_machine_from_the_host_section()
    {
        var host = BenchmarkReport.Parse(File.ReadAllText(SamplePath)).Host;

        Assert.Equal(2, host.LogicalCores);
        Assert.StartsWith(".NET 10", host.Runtime, StringComparison.Ordinal);
        Assert.Equal("0.14.0", host.BenchmarkDotNet);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"Title":"x"}""")]
    [InlineData("[1,2]")]
    public void Text_that_is_not_a_report_is_refused_with_a_reason(string text)
    {
        var error = Assert.Throws<InvalidDataException>(() => BenchmarkReport.Parse(text, "broken.json"));

        Assert.Contains("broken.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_target_names_a_benchmark_that_exists()
    {
        var methods = typeof(Cordial.Benchmarks.Reporting.SummaryCommand).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods().Where(m => m.IsDefined(typeof(BenchmarkDotNet.Attributes.BenchmarkAttribute), inherit: false)).Select(m => t.Name + "." + m.Name))
            .ToHashSet(StringComparer.Ordinal);

        foreach (var key in BenchmarkTargets.All.Keys)
        {
            var method = key.Split('(')[0];
            Assert.True(methods.Contains(method), $"The target '{key}' names no [Benchmark] method.");
        }
    }
}
