namespace Cordial.Benchmarks.Reporting;

/// <summary>One benchmark case as BenchmarkDotNet's JSON exporter reported it.</summary>
/// <param name="Type">The benchmark class, e.g. "ResponseCacheBenchmarks".</param>
/// <param name="Method">The benchmark method.</param>
/// <param name="Parameters">BenchmarkDotNet's parameter text ("Tokens=100"), empty when the class has none.</param>
/// <param name="MeanNanoseconds">Mean per operation; null when the case produced no measurement (it failed).</param>
/// <param name="AllocatedBytes">Allocated per operation; null without the memory diagnoser.</param>
internal sealed record BenchmarkResult(string Type, string Method, string Parameters, double? MeanNanoseconds, long? AllocatedBytes)
{
    /// <summary>"Type.Method".</summary>
    public string MethodName => Type + "." + Method;

    /// <summary>"Type.Method" or "Type.Method(Parameters)".</summary>
    public string Name => Parameters.Length == 0 ? MethodName : $"{MethodName}({Parameters})";
}
