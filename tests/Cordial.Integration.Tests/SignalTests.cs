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
        using var sandbox = SandboxProcess.Start(data.Path);
        await sandbox.WaitUntilRunningAsync();

        using (var kill = Process.Start("kill", ["-TERM", sandbox.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(ct);
            Assert.Equal(0, kill.ExitCode);
        }

        await sandbox.Process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(60), ct);
        Assert.Equal(0, sandbox.Process.ExitCode);
        Assert.DoesNotContain("Exception", await sandbox.StandardError, StringComparison.Ordinal);
    }
}
