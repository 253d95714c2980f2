using System.Diagnostics;

namespace Cordial.Integration.Tests;

/// <summary>The real executable, in its own process, stops gracefully on the signal service managers and containers send.</summary>
public sealed class SignalTests
{
    [Fact]
    public async Task Sigterm_stops_the_sandbox_gracefully()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "POSIX signals only");
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "cordial.dll"), "sandbox", "--port", "0", "--data", data.Path },
            WorkingDirectory = data.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            string? line;
            while ((line = await process.StandardOutput.ReadLineAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(120), ct)) is not null
                && !line.Contains("Cordial sandbox is running", StringComparison.Ordinal))
            {
            }

            Assert.NotNull(line);
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(ct);
                Assert.Equal(0, kill.ExitCode);
            }

            await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(60), ct);
            Assert.Equal(0, process.ExitCode);
            Assert.DoesNotContain("Exception", await stderr, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
