using System.Globalization;
using System.Text;

namespace Cordial.Benchmarks.Reporting;

/// <summary>
/// Renders a benchmark report as the summary table of docs/PERFORMANCE.md (benchmark, mean, allocated, target, verdict)
/// and puts it between the <see cref="BeginMarker"/> / <see cref="EndMarker"/> lines of the document.
/// </summary>
internal static class PerformanceSummary
{
    public const string BeginMarker = "<!-- bench:begin -->";
    public const string EndMarker = "<!-- bench:end -->";

    /// <summary>How and where a run was made (what the table's heading says).</summary>
    /// <param name="Finished">When the summary was written (UTC).</param>
    /// <param name="Command">The exact command that produced the figures.</param>
    /// <param name="LoadAverage">The machine's load average when the run started ("1.02 0.88 0.75").</param>
    /// <param name="Job">BenchmarkDotNet's job ("short").</param>
    internal sealed record Run(DateTimeOffset Finished, string Command, string LoadAverage, string Job);

    /// <summary>The block that goes between the markers (markers included).</summary>
    public static string Render(BenchmarkReport report, Run run, IReadOnlyDictionary<string, BenchmarkTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(run);
        var host = report.Host;
        var text = new StringBuilder();
        text.AppendLine(BeginMarker);
        text.AppendLine(CultureInfo.InvariantCulture, $"Written by `scripts/bench.sh` on {run.Finished.UtcDateTime:yyyy-MM-dd HH:mm} UTC: {host.LogicalCores} CPUs ({host.Processor}), load average at start {run.LoadAverage}, {host.Runtime}, BenchmarkDotNet {host.BenchmarkDotNet}, job `{run.Job}`.");
        text.AppendLine();
        text.AppendLine("```bash");
        text.AppendLine(run.Command);
        text.AppendLine("```");
        text.AppendLine();
        text.AppendLine("| benchmark | mean | allocated | target | verdict |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var result in report.Results.OrderBy(r => r.Type, StringComparer.Ordinal))
        {
            var target = BenchmarkTargets.Find(targets, result);
            var mean = result.MeanNanoseconds is { } ns ? SummaryFormat.Duration(ns) : "failed";
            var allocated = result.AllocatedBytes is { } bytes ? SummaryFormat.Bytes(bytes) : "—";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {result.Name} | {mean} | {allocated} | {target?.Describe() ?? "—"} | {Verdict(result, target)} |");
        }

        text.AppendLine();
        var missed = report.Results.Count(r => Verdict(r, BenchmarkTargets.Find(targets, r)).StartsWith("missed", StringComparison.Ordinal));
        var measured = report.Results.Count(r => BenchmarkTargets.Find(targets, r) is not null);
        text.AppendLine(CultureInfo.InvariantCulture, $"{report.Results.Count} benchmark{(report.Results.Count == 1 ? "" : "s")}, {measured} with a target, {missed} missed.");
        text.Append(EndMarker);
        return text.ToString();
    }

    /// <summary>"met", "missed (mean)", "missed (allocated)", "missed (mean, allocated)", "failed", or "—" without a target.</summary>
    public static string Verdict(BenchmarkResult result, BenchmarkTarget? target)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (target is null)
        {
            return "—";
        }

        if (result.MeanNanoseconds is not { } mean)
        {
            return "failed";
        }

        var slow = mean > target.MaxMeanNanoseconds;
        var heavy = target.MaxAllocatedBytes is { } max && (result.AllocatedBytes is not { } bytes || bytes > max);
        return (slow, heavy) switch
        {
            (false, false) => "met",
            (true, false) => "missed (mean)",
            (false, true) => "missed (allocated)",
            _ => "missed (mean, allocated)",
        };
    }

    /// <summary>
    /// Replaces what lies between the markers (markers included) with <paramref name="block"/>; a document without the
    /// markers gets a "Benchmark summary" section at its end. Applying the same block twice changes nothing.
    /// </summary>
    /// <exception cref="InvalidDataException">The markers are present but out of order or repeated.</exception>
    public static string ReplaceBetweenMarkers(string document, string block)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(block);
        var newline = document.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        block = block.ReplaceLineEndings(newline);
        var begin = document.IndexOf(BeginMarker, StringComparison.Ordinal);
        var end = document.IndexOf(EndMarker, StringComparison.Ordinal);
        if (begin < 0 && end < 0)
        {
            var trimmed = document.TrimEnd();
            var separator = trimmed.Length == 0 ? "" : newline + newline;
            return trimmed + separator + "## Benchmark summary" + newline + newline + block + newline;
        }

        if (begin < 0 || end < begin
            || document.IndexOf(BeginMarker, begin + BeginMarker.Length, StringComparison.Ordinal) >= 0
            || document.IndexOf(EndMarker, end + EndMarker.Length, StringComparison.Ordinal) >= 0)
        {
            throw new InvalidDataException($"The document must hold one '{BeginMarker}' followed by one '{EndMarker}'.");
        }

        return string.Concat(document.AsSpan(0, begin), block, document.AsSpan(end + EndMarker.Length));
    }
}
