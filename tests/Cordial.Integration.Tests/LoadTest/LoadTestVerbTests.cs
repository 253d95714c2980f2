using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cordial.LoadTest;

namespace Cordial.Integration.Tests.LoadTest;

/// <summary>The real `cordial loadtest`, in its own process, with its own child processes. No time is asserted.</summary>
public sealed partial class LoadTestVerbTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static ProcessStartInfo Cordial(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.Environment["TMPDIR"] = workingDirectory; // its own work directory too, which a killed run cannot delete
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cordial.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    [Fact]
    public async Task Smoke_run_answers_every_message_without_a_429_and_reports_every_figure()
    {
        using var dir = new TempDirectory();
        var json = Path.Combine(dir.Path, "report.json");
        var html = Path.Combine(dir.Path, "report.html");
        using var process = Process.Start(Cordial(dir.Path, "loadtest", "--users", "5", "--duration", "5", "--ttft-ms", "20", "--json", json, "--html", html))!;
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(Token);
            var stderr = process.StandardError.ReadToEndAsync(Token);
            await process.WaitForExitAsync(Token).WaitAsync(TimeSpan.FromMinutes(5), Token);
            var text = await stdout;
            var diagnostics = $"stdout:\n{text}\nstderr:\n{await stderr}";

            Assert.True(process.ExitCode == 0, diagnostics);
            var lines = text.Split('\n');
            foreach (var name in LoadTestTextReport.FigureNames)
            {
                var line = lines.FirstOrDefault(l => l.StartsWith(name + ": ", StringComparison.Ordinal));
                Assert.True(line is not null, $"missing '{name}'\n{diagnostics}");
                Assert.True(!OperatingSystem.IsLinux() || !line.EndsWith(": n/a", StringComparison.Ordinal), $"'{name}' was not measured\n{diagnostics}");
            }

            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json, Token));
            var report = document.RootElement;
            Assert.Equal(0, report.GetProperty("errors").GetInt64());
            Assert.Equal(0, report.GetProperty("discord429s").GetInt64());
            Assert.True(report.GetProperty("replies").GetInt64() > 0, diagnostics);
            Assert.Equal(report.GetProperty("replies").GetInt64(), report.GetProperty("messagesSent").GetInt64());
            Assert.True(report.GetProperty("discordRequestsPerReply").GetDouble() >= 2, diagnostics); // a create and at least one edit
            var byRoute = report.GetProperty("discordRequestsByRoute").EnumerateArray().ToList();
            Assert.Contains(byRoute, r => r.GetProperty("route").GetString() == "POST /channels/{channel_id}/messages");
            Assert.Equal(report.GetProperty("discordRequests").GetInt64(), byRoute.Sum(r => r.GetProperty("count").GetInt64()));
            foreach (var figure in new[] { "timeToFirstMessage", "answerTime" })
            {
                Assert.True(report.GetProperty(figure).GetProperty("count").GetInt64() > 0, figure);
                Assert.Equal(JsonValueKind.Number, report.GetProperty(figure).GetProperty("p99Ms").ValueKind);
            }

            Assert.Equal(JsonValueKind.Number, report.GetProperty("botPeakRssBytes").ValueKind);
            Assert.Equal(JsonValueKind.Null, report.GetProperty("botStatsError").ValueKind);
            Assert.True(report.GetProperty("bot").GetProperty("messageToRequest").GetProperty("count").GetInt64() > 0, diagnostics);
            Assert.True(report.GetProperty("bot").GetProperty("tokenToDiscord").GetProperty("count").GetInt64() > 0, diagnostics);
            Assert.Equal(JsonValueKind.Number, report.GetProperty("botCpuSecondsMeasured").ValueKind);
            Assert.NotEmpty(report.GetProperty("timeline").EnumerateArray());
            Assert.Contains("<svg", await File.ReadAllTextAsync(html, Token), StringComparison.Ordinal);
        }
        finally
        {
            KillIfRunning(process);
        }
    }

    [Fact]
    public async Task A_bad_flag_is_refused_before_anything_starts()
    {
        using var dir = new TempDirectory();
        using var process = Process.Start(Cordial(dir.Path, "loadtest", "--users", "0"))!;
        var stderr = process.StandardError.ReadToEndAsync(Token);
        await process.WaitForExitAsync(Token).WaitAsync(TimeSpan.FromMinutes(2), Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--users must be a whole number from 1", await stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("KILL")]
    public async Task Its_children_do_not_outlive_it(string signal)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "reads /proc");
        using var dir = new TempDirectory();
        using var process = Process.Start(Cordial(dir.Path, "loadtest", "--users", "2", "--duration", "600", "--ttft-ms", "20"))!;
        var children = new List<int>();
        try
        {
            _ = process.StandardOutput.ReadToEndAsync(Token);
            await ReadChildrenAsync(process, children);
            Assert.Equal(2, children.Count);
            Assert.All(children, pid => Assert.True(IsRunning(pid), $"child {pid} should run"));

            await SignalAsync(process.Id, signal);
            await process.WaitForExitAsync(Token).WaitAsync(TimeSpan.FromMinutes(2), Token);

            await Eventually.UntilAsync(() => children.All(pid => !IsRunning(pid)), "the emulator and the bot to stop", TimeSpan.FromMinutes(1));
            if (signal == "TERM")
            {
                Assert.Equal(130, process.ExitCode);
            }
        }
        finally
        {
            KillIfRunning(process);
            foreach (var pid in children.Where(IsRunning))
            {
                Process.GetProcessById(pid).Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task A_child_that_dies_ends_the_run_with_its_last_output_and_no_orphan()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "reads /proc");
        using var dir = new TempDirectory();
        using var process = Process.Start(Cordial(dir.Path, "loadtest", "--users", "2", "--duration", "600", "--ttft-ms", "20"))!;
        var children = new List<int>();
        try
        {
            _ = process.StandardOutput.ReadToEndAsync(Token);
            var stderr = await ReadChildrenAsync(process, children);
            var bot = children[1];

            await SignalAsync(bot, "KILL");
            var rest = await process.StandardError.ReadToEndAsync(Token).WaitAsync(TimeSpan.FromMinutes(2), Token);
            await process.WaitForExitAsync(Token).WaitAsync(TimeSpan.FromMinutes(2), Token);

            Assert.Equal(1, process.ExitCode);
            Assert.Contains($"the bot (pid {bot}) exited with code", stderr + rest, StringComparison.Ordinal);
            await Eventually.UntilAsync(() => !IsRunning(children[0]), "the emulator to stop", TimeSpan.FromMinutes(1));
        }
        finally
        {
            KillIfRunning(process);
            foreach (var pid in children.Where(IsRunning))
            {
                Process.GetProcessById(pid).Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>Reads status lines until both children are announced and the users run; returns what was read.</summary>
    private static async Task<string> ReadChildrenAsync(Process process, List<int> children)
    {
        var seen = new System.Text.StringBuilder();
        while (await process.StandardError.ReadLineAsync(Token).AsTask().WaitAsync(TimeSpan.FromMinutes(3), Token) is { } line)
        {
            seen.AppendLine(line);
            if (ChildLine().Match(line) is { Success: true } m)
            {
                children.Add(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            }

            if (line.Contains("users, warm-up", StringComparison.Ordinal))
            {
                return seen.ToString();
            }
        }

        Assert.Fail("cordial loadtest ended before its users started:\n" + seen);
        return "";
    }

    private static async Task SignalAsync(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync(Token);
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Alive and not a zombie.</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static void KillIfRunning(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
    }

    [GeneratedRegex(@"^loadtest: (?:emulator|bot) pid (\d+)")]
    private static partial Regex ChildLine();
}
