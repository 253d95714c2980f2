using System.Diagnostics;

namespace Cordial.Integration.Tests;

/// <summary>The real executable's sandbox (<c>dotnet cordial.dll sandbox --port 0</c>) in its own process; killed with its
/// children on dispose unless it has exited.</summary>
internal sealed class SandboxProcess : IDisposable
{
    private const string Running = "Cordial sandbox is running: open ";

    private SandboxProcess(Process process)
    {
        Process = process;
        StandardError = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
    }

    public Process Process { get; }

    /// <summary>Everything the process writes on stderr, once it exits.</summary>
    public Task<string> StandardError { get; }

    /// <summary>Starts the sandbox with its data in <paramref name="dataDirectory"/>; <paramref name="configure"/> may
    /// change the environment.</summary>
    public static SandboxProcess Start(string dataDirectory, Action<IDictionary<string, string?>>? configure = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "cordial.dll"), "sandbox", "--port", "0", "--data", dataDirectory },
            WorkingDirectory = dataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        configure?.Invoke(start.Environment);
        return new SandboxProcess(Process.Start(start)!);
    }

    /// <summary>Waits (up to two minutes) for the line saying the sandbox runs and returns the page's address.</summary>
    public async Task<Uri> WaitUntilRunningAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        string? line;
        while ((line = await Process.StandardOutput.ReadLineAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(120), ct)) is not null
            && !line.Contains(Running, StringComparison.Ordinal))
        {
        }

        Assert.True(line is not null, "the sandbox ended before it ran: " + (Process.HasExited ? await StandardError : ""));
        return new Uri(line[(line.IndexOf(Running, StringComparison.Ordinal) + Running.Length)..].Trim());
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }

        Process.Dispose();
    }
}
