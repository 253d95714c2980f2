using System.Globalization;

namespace Cordial.LoadTest;

/// <summary>
/// A process's CPU time and memory read from outside, from /proc (Linux): utime + stime of /proc/PID/stat, VmRSS and
/// VmHWM (peak resident set) of /proc/PID/status. Null figures elsewhere or when the process is gone.
/// </summary>
internal sealed record ProcessFigures(double? CpuSeconds, long? RssBytes, long? PeakRssBytes)
{
    /// <summary>Clock ticks per second of /proc/PID/stat (USER_HZ, 100 on every Linux configuration .NET runs on).</summary>
    private const double TicksPerSecond = 100;

    public static ProcessFigures Read(int pid)
    {
        if (!OperatingSystem.IsLinux())
        {
            return new ProcessFigures(null, null, null);
        }

        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var status = File.ReadAllLines($"/proc/{pid}/status");
            return new ProcessFigures(ParseCpuSeconds(stat), StatusKilobytes(status, "VmRSS:") * 1024, StatusKilobytes(status, "VmHWM:") * 1024);
        }
        catch (IOException)
        {
            return new ProcessFigures(null, null, null);
        }
        catch (UnauthorizedAccessException)
        {
            return new ProcessFigures(null, null, null);
        }
    }

    /// <summary>utime + stime (fields 14 and 15) of a /proc/PID/stat line, in seconds; the command name may hold spaces.</summary>
    public static double? ParseCpuSeconds(string stat)
    {
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        // After ") ": field 3 (state) is index 0, so utime (14) is index 11 and stime (15) index 12.
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 13
            || !long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var utime)
            || !long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var stime))
        {
            return null;
        }

        return (utime + stime) / TicksPerSecond;
    }

    /// <summary>The kB value of a /proc/PID/status line such as "VmHWM:   123456 kB".</summary>
    public static long? StatusKilobytes(IEnumerable<string> status, string key)
    {
        foreach (var line in status)
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                var parts = line[key.Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                return parts.Length > 0 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb : null;
            }
        }

        return null;
    }

    /// <summary>The 1-, 5- and 15-minute load averages of the machine (/proc/loadavg), or null.</summary>
    public static string? LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return parts.Length >= 3 ? $"{parts[0]} {parts[1]} {parts[2]}" : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
