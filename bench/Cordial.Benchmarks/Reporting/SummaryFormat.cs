using System.Globalization;

namespace Cordial.Benchmarks.Reporting;

/// <summary>How the summary prints durations and sizes: three significant digits, BenchmarkDotNet's units (1 KB = 1024 B).</summary>
internal static class SummaryFormat
{
    public static string Duration(double nanoseconds) => nanoseconds switch
    {
        < 1_000 => Number(nanoseconds) + " ns",
        < 1_000_000 => Number(nanoseconds / 1_000) + " µs",
        < 1_000_000_000 => Number(nanoseconds / 1_000_000) + " ms",
        _ => Number(nanoseconds / 1_000_000_000) + " s",
    };

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => bytes.ToString(CultureInfo.InvariantCulture) + " B",
        < 1024 * 1024 => Number(bytes / 1024.0) + " KB",
        _ => Number(bytes / (1024.0 * 1024.0)) + " MB",
    };

    private static string Number(double value) => value switch
    {
        >= 100 => value.ToString("0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.#", CultureInfo.InvariantCulture),
        _ => value.ToString("0.##", CultureInfo.InvariantCulture),
    };
}
