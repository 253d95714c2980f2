using System.Text.Json;

namespace Cordial.Benchmarks.Reporting;

/// <summary>
/// What BenchmarkDotNet's JSON exporter wrote (one "*-report*.json" per benchmark class, or one for a joined run):
/// the cases in the order they ran and the machine they ran on.
/// </summary>
internal sealed record BenchmarkReport(IReadOnlyList<BenchmarkResult> Results, BenchmarkHost Host)
{
    /// <summary>Reads every JSON report in <paramref name="directory"/> (file name order).</summary>
    /// <exception cref="InvalidDataException">A file is not a BenchmarkDotNet JSON report.</exception>
    public static BenchmarkReport ReadDirectory(string directory)
    {
        var results = new List<BenchmarkResult>();
        var host = BenchmarkHost.Unknown;
        foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            var report = Parse(File.ReadAllText(file), Path.GetFileName(file));
            results.AddRange(report.Results);
            if (report.Host != BenchmarkHost.Unknown)
            {
                host = report.Host;
            }
        }

        return new BenchmarkReport(results, host);
    }

    /// <summary>Parses one JSON report.</summary>
    /// <param name="json">The exporter's output (brief, full or full-compressed: they share these fields).</param>
    /// <param name="source">Named in the error message when the text is not a report.</param>
    /// <exception cref="InvalidDataException">The text is not a BenchmarkDotNet JSON report.</exception>
    public static BenchmarkReport Parse(string json, string source = "report")
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{source} is not JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Benchmarks", out var benchmarks) || benchmarks.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{source} is not a BenchmarkDotNet JSON report (no \"Benchmarks\" array).");
            }

            var results = new List<BenchmarkResult>();
            foreach (var benchmark in benchmarks.EnumerateArray())
            {
                results.Add(new BenchmarkResult(
                    String(benchmark, "Type") ?? "?",
                    String(benchmark, "Method") ?? "?",
                    String(benchmark, "Parameters") ?? "",
                    Number(benchmark, "Statistics", "Mean"),
                    Number(benchmark, "Memory", "BytesAllocatedPerOperation") is { } bytes ? (long)Math.Round(bytes) : null));
            }

            var host = root.TryGetProperty("HostEnvironmentInfo", out var info) && info.ValueKind == JsonValueKind.Object
                ? new BenchmarkHost(
                    String(info, "ProcessorName") ?? BenchmarkHost.Unknown.Processor,
                    (int)(Number(info, "LogicalCoreCount") ?? 0),
                    String(info, "RuntimeVersion") ?? BenchmarkHost.Unknown.Runtime,
                    String(info, "BenchmarkDotNetVersion") ?? BenchmarkHost.Unknown.BenchmarkDotNet)
                : BenchmarkHost.Unknown;
            return new BenchmarkReport(results, host);
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double? Number(JsonElement element, params ReadOnlySpan<string> path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var number) && double.IsFinite(number) ? number : null;
    }
}
