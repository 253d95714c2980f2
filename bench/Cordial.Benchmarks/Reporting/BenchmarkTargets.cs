namespace Cordial.Benchmarks.Reporting;

/// <summary>
/// Every benchmark's target, in one place, keyed by "Type.Method" or, for one parameter set only,
/// "Type.Method(Name=Value)" as BenchmarkDotNet prints parameters. A benchmark not listed has no target ("—").
/// </summary>
/// <remarks>The budgets come from DESIGN.md ("Performance budget") and the issues; change them there first.</remarks>
internal static class BenchmarkTargets
{
    private const long Kilobyte = 1024;

    public static IReadOnlyDictionary<string, BenchmarkTarget> All { get; } = new Dictionary<string, BenchmarkTarget>(StringComparer.Ordinal)
    {
        ["GatewayDecodeBenchmarks.DecodeMessageCreate"] = new(5_000, 2 * Kilobyte, "issue 3: decode a MESSAGE_CREATE frame"),
        ["RateLimitAcquireBenchmarks.BucketAcquire"] = new(1_000, 0, "issue 3: uncontended route-bucket acquire"),
        ["RateLimitAcquireBenchmarks.ManagerAcquire"] = new(200, 0, "DESIGN.md: rate-limit check"),
        ["PipelineOverheadBenchmarks.Request_Pipeline"] = new(20_000, null, "issue 4: pipeline overhead per request"),
        ["PipelineOverheadBenchmarks.Stream_Pipeline(Tokens=100)"] = new(100_000, null, "issue 4: ≤ 1 µs per streamed token"),
        ["ResponseCacheBenchmarks.Hit_lookup"] = new(200, 0, "issue 5: cache hit"),
        ["ResponseCacheBenchmarks.Set_uncompressed"] = new(1_000, null, "issue 5: cache set, uncompressed"),
        ["ResponseCacheBenchmarks.Set_new_entry_evicting_oldest"] = new(1_000, null, "issue 5: cache set, uncompressed"),
        ["MessageSplitterBenchmarks.Split10KbPlain"] = new(20_000, null, "issue 5: split a 10 KB answer"),
        ["MessageCreateToRequestBenchmarks.FrameToRequest"] = new(50_000, null, "issue 5: MESSAGE_CREATE frame → LLM request built"),
        ["PromptAssemblyBenchmarks.Assemble25Messages"] = new(20_000, null, "issue 5: assemble a 25-message prompt"),
        ["LatencyHistogramBenchmarks.Record"] = new(20, 0, "load test: recording one overhead sample"),
        ["QuotaCheckBenchmarks.UserGuildAndProviderAllowed"] = new(200, 0, "issue 5: quota check"),
    };

    /// <summary>The target of <paramref name="result"/>: its parameter set's own, else its method's, else none.</summary>
    public static BenchmarkTarget? Find(IReadOnlyDictionary<string, BenchmarkTarget> targets, BenchmarkResult result)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(result);
        return targets.GetValueOrDefault(result.Name) ?? targets.GetValueOrDefault(result.MethodName);
    }
}
