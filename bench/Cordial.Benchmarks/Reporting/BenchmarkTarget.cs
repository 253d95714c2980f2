namespace Cordial.Benchmarks.Reporting;

/// <summary>
/// A benchmark's budget: a mean of at most <see cref="MaxMeanNanoseconds"/> per operation and, when set, at most
/// <see cref="MaxAllocatedBytes"/> allocated per operation. <see cref="Source"/> says where the budget comes from.
/// </summary>
internal sealed record BenchmarkTarget(double MaxMeanNanoseconds, long? MaxAllocatedBytes, string Source)
{
    /// <summary>The budget as the summary table shows it, e.g. "≤ 200 ns, 0 B".</summary>
    public string Describe() =>
        MaxAllocatedBytes is { } bytes
            ? $"≤ {SummaryFormat.Duration(MaxMeanNanoseconds)}, {(bytes == 0 ? "0 B" : "≤ " + SummaryFormat.Bytes(bytes))}"
            : $"≤ {SummaryFormat.Duration(MaxMeanNanoseconds)}";
}
