using System.Diagnostics;
using System.Globalization;

namespace Cordial.Hosting;

/// <summary>What the bot process costs, read at one moment (cumulative since the process started).</summary>
internal sealed record ProcessFigures(
    double CpuSeconds,
    long WorkingSetBytes,
    long PeakWorkingSetBytes,
    int GcGen0,
    int GcGen1,
    int GcGen2,
    double GcPauseMilliseconds,
    long AllocatedBytes,
    int ThreadPoolThreads,
    long GcHeapHardLimitBytes)
{
    /// <summary>Reads the figures now. Peak RSS is Linux's VmHWM (/proc/self/status), else the process's peak working set.</summary>
    public static ProcessFigures Read() => new(
        Environment.CpuUsage.TotalTime.TotalSeconds,
        Environment.WorkingSet,
        PeakWorkingSet(),
        GC.CollectionCount(0),
        GC.CollectionCount(1),
        GC.CollectionCount(2),
        GC.GetTotalPauseDuration().TotalMilliseconds,
        GC.GetTotalAllocatedBytes(precise: false),
        ThreadPool.ThreadCount,
        GcHeapHardLimit());

    /// <summary>The heap hard limit the GC works with now, in bytes; 0 when there is none.</summary>
    private static long GcHeapHardLimit() =>
        GC.GetConfigurationVariables().TryGetValue("GCHeapHardLimit", out var value)
            ? Convert.ToInt64(value, CultureInfo.InvariantCulture)
            : 0;

    private static long PeakWorkingSet()
    {
        if (OperatingSystem.IsLinux() && ReadVmHwm(File.ReadLines("/proc/self/status")) is { } peak)
        {
            return peak;
        }

        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }

    /// <summary>The VmHWM line of /proc/self/status ("VmHWM:   123456 kB") in bytes, or null.</summary>
    internal static long? ReadVmHwm(IEnumerable<string> statusLines)
    {
        foreach (var line in statusLines)
        {
            if (!line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                continue;
            }

            var value = line["VmHWM:".Length..].Trim();
            if (value.EndsWith(" kB", StringComparison.Ordinal)
                && long.TryParse(value[..^3].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var kilobytes))
            {
                return kilobytes * 1024;
            }

            return null;
        }

        return null;
    }
}
