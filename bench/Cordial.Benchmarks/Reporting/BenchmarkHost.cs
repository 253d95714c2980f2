namespace Cordial.Benchmarks.Reporting;

/// <summary>The machine a report was measured on, as BenchmarkDotNet's JSON exporter describes it.</summary>
internal sealed record BenchmarkHost(string Processor, int LogicalCores, string Runtime, string BenchmarkDotNet)
{
    public static BenchmarkHost Unknown { get; } = new("unknown CPU", 0, "unknown .NET", "unknown");
}
