namespace Cordial.Benchmarks.Reporting;

/// <summary>
/// <c>Cordial.Benchmarks --write-summary &lt;document|-&gt; --results &lt;dir&gt; [--command &lt;text&gt;] [--load &lt;text&gt;] [--job &lt;name&gt;]</c>:
/// reads the JSON reports in <c>--results</c>, prints the summary table, and writes it between the markers of the
/// document (<c>-</c>: print only). Used by scripts/bench.sh after the run.
/// </summary>
internal static class SummaryCommand
{
    public const string Verb = "--write-summary";

    /// <returns>0 when written; 2 for bad arguments or unreadable reports (the reason is on <paramref name="error"/>).</returns>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is not (Verb or "--results" or "--command" or "--load" or "--job") || i + 1 >= args.Count)
            {
                error.WriteLine($"{Verb}: unexpected argument '{args[i]}'. Usage: {Verb} <document|-> --results <dir> [--command <text>] [--load <text>] [--job <name>]");
                return 2;
            }

            values[args[i]] = args[++i];
        }

        if (!values.TryGetValue(Verb, out var document) || !values.TryGetValue("--results", out var results))
        {
            error.WriteLine($"{Verb}: both {Verb} <document|-> and --results <dir> are required.");
            return 2;
        }

        if (!Directory.Exists(results))
        {
            error.WriteLine($"{Verb}: the results directory '{results}' does not exist (did the benchmarks run?).");
            return 2;
        }

        try
        {
            var report = BenchmarkReport.ReadDirectory(results);
            if (report.Results.Count == 0)
            {
                error.WriteLine($"{Verb}: no benchmark results in '{results}'.");
                return 2;
            }

            var run = new PerformanceSummary.Run(
                timeProvider.GetUtcNow(),
                values.GetValueOrDefault("--command", "bash scripts/bench.sh"),
                values.GetValueOrDefault("--load", "unknown"),
                values.GetValueOrDefault("--job", "default"));
            var block = PerformanceSummary.Render(report, run, BenchmarkTargets.All);
            output.WriteLine(block);
            if (document != "-")
            {
                var existing = File.Exists(document) ? File.ReadAllText(document) : "";
                File.WriteAllText(document, PerformanceSummary.ReplaceBetweenMarkers(existing, block));
                output.WriteLine($"summary written to {document}");
            }

            return 0;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{Verb}: {ex.Message}");
            return 2;
        }
    }
}
