using System.Text;
using System.Text.Json;
using Cordial.LoadTest;

namespace Cordial;

/// <summary>
/// <c>cordial loadtest</c>: the emulators and the bot as child processes on loopback, simulated users for a duration, and
/// the figures as text (stdout, one per line), JSON and HTML. Exit code 1 when any answer failed or Discord answered 429.
/// See docs/LOADTEST.md.
/// </summary>
internal static class LoadTestVerb
{
    public static async Task<int> RunAsync(CommandArguments arguments, IReadOnlyList<string> commandLine, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var options = LoadTestOptions.Parse(arguments); // a FormatException names the flag (exit code 2)
        LoadTestReport report;
        try
        {
            report = await new LoadTestRunner(options, error, TimeProvider.System).RunAsync(commandLine, cancellationToken);
        }
        catch (ChildProcessFailedException ex)
        {
            await error.WriteLineAsync("cordial loadtest: " + ex.Message);
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("cordial loadtest: interrupted; the emulator and the bot were stopped; no report.");
            return 130;
        }

        var text = LoadTestTextReport.Render(report);
        await output.WriteAsync(text);
        try
        {
            await WriteAsync(options.TextReportPath, text, cancellationToken);
            await WriteAsync(options.JsonReportPath, JsonSerializer.Serialize(report, LoadTestJsonContext.Default.LoadTestReport), cancellationToken);
            await WriteAsync(options.HtmlReportPath, LoadTestHtmlReport.Render(report), cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync("cordial loadtest: cannot write the report: " + ex.Message);
            return 1;
        }

        return report.Passed ? 0 : 1;
    }

    private static async Task WriteAsync(string? path, string content, CancellationToken cancellationToken)
    {
        if (path is null)
        {
            return;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await File.WriteAllTextAsync(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken);
    }
}
