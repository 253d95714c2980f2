using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Cordial.Interop.Tests;

/// <summary>
/// The discord.js bot script (tests/interop/discordjs-bot.mjs) running as a child process. Standard output is read
/// line by line as JSON events; standard error is kept (its tail) for failure messages. Disposing kills the process
/// tree if it is still running.
/// </summary>
internal sealed class NodeBot : IAsyncDisposable
{
    private const int MaxStderrChars = 256 * 1024;
    private const int MaxEvents = 10_000;

    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(MaxEvents)
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly List<string> _seen = [];
    private readonly HashSet<int> _returned = [];
    private readonly StringBuilder _stderr = new();
    private readonly Lock _stderrLock = new();
    private readonly CancellationTokenSource _pumpCancellation = new();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;

    private NodeBot(Process process)
    {
        _process = process;
        _stdoutPump = PumpStdoutAsync();
        _stderrPump = PumpStderrAsync();
    }

    /// <summary>The events of the given name among all the lines printed so far (all of them once <see cref="StopAsync"/> returned).</summary>
    public IReadOnlyList<JsonElement> EventsNamed(string name)
    {
        DrainUnread();
        return [.. _seen.Select(TryParse).Where(e => e is { } element && EventName(element) == name).Select(e => e!.Value)];
    }

    public static NodeBot Start(string nodePath, string scriptPath, IReadOnlyDictionary<string, string> environment)
    {
        var startInfo = new ProcessStartInfo(nodePath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = Path.GetDirectoryName(scriptPath)!,
        };
        startInfo.ArgumentList.Add(scriptPath);
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("node did not start: " + nodePath);
        return new NodeBot(process);
    }

    /// <summary>
    /// Returns the earliest event named <paramref name="name"/> not returned before, reading on when none has arrived
    /// yet; events the bot prints in another order than the test waits for them are not lost. Fails the test, with
    /// everything the script printed, when the script reports an error, gives up, exits, or <paramref name="timeout"/>
    /// passes first.
    /// </summary>
    public async Task<JsonElement> WaitForAsync(string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        for (var index = 0; index < _seen.Count; index++)
        {
            if (!_returned.Contains(index) && TryParse(_seen[index]) is { } earlier && EventName(earlier) == name)
            {
                _returned.Add(index);
                return earlier;
            }
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(bounded.Token))
            {
                while (_lines.Reader.TryRead(out var line))
                {
                    if (_seen.Count >= MaxEvents)
                    {
                        Assert.Fail($"The discord.js bot printed more than {MaxEvents} lines.");
                    }

                    _seen.Add(line);
                    if (TryParse(line) is not { } element)
                    {
                        continue;
                    }

                    var eventName = EventName(element);
                    if (eventName == name)
                    {
                        _returned.Add(_seen.Count - 1);
                        return element;
                    }

                    if (eventName is "error" or "timeout" or "unsupported")
                    {
                        Assert.Fail($"The discord.js bot reported '{eventName}' while the test waited for '{name}': {line}{Diagnostics()}");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"Timed out after {timeout} waiting for the discord.js bot's '{name}' event.{Diagnostics()}");
        }

        await _process.WaitForExitAsync(cancellationToken);
        Assert.Fail($"The discord.js bot exited with code {_process.ExitCode} before its '{name}' event.{Diagnostics()}");
        return default;
    }

    /// <summary>Asks the script to exit ("exit" on its standard input) and returns its exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!_process.HasExited)
        {
            try
            {
                await _process.StandardInput.WriteLineAsync("exit".AsMemory(), cancellationToken);
                await _process.StandardInput.FlushAsync(cancellationToken);
            }
            catch (IOException)
            {
                // Already gone: the exit code below tells what happened.
            }
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(bounded.Token);
            await Task.WhenAll(_stdoutPump, _stderrPump).WaitAsync(bounded.Token); // all output read
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"The discord.js bot did not exit within {timeout} after being told to.{Diagnostics()}");
        }

        return _process.ExitCode;
    }

    /// <summary>What the script printed so far, for failure messages.</summary>
    public string Diagnostics()
    {
        DrainUnread();
        string stderr;
        lock (_stderrLock)
        {
            stderr = _stderr.ToString();
        }

        var stdout = string.Join('\n', _seen);
        return $"\n--- discord.js stdout (events read) ---\n{stdout}\n--- discord.js stderr (tail) ---\n{stderr}";
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(bounded.Token);
            await _pumpCancellation.CancelAsync();
            await Task.WhenAll(_stdoutPump, _stderrPump).WaitAsync(bounded.Token);
        }
        catch (Exception exception) when (exception is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // Killing a process that exits at the same moment can race; nothing is left to clean up then.
        }
        finally
        {
            _process.Dispose();
            _pumpCancellation.Dispose();
        }
    }

    private void DrainUnread()
    {
        while (_seen.Count < MaxEvents && _lines.Reader.TryRead(out var unread))
        {
            _seen.Add(unread);
        }
    }

    private static JsonElement? TryParse(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? EventName(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("event", out var name) && name.ValueKind == JsonValueKind.String
            ? name.GetString()
            : null;

    private async Task PumpStdoutAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync(_pumpCancellation.Token) is { } line)
            {
                await _lines.Writer.WriteAsync(line, _pumpCancellation.Token);
            }
        }
        catch (OperationCanceledException) when (_pumpCancellation.IsCancellationRequested)
        {
            // Disposed while the script still had output.
        }
        finally
        {
            _lines.Writer.TryComplete();
        }
    }

    private async Task PumpStderrAsync()
    {
        try
        {
            while (await _process.StandardError.ReadLineAsync(_pumpCancellation.Token) is { } line)
            {
                lock (_stderrLock)
                {
                    _stderr.Append(line).Append('\n');
                    if (_stderr.Length > MaxStderrChars)
                    {
                        _stderr.Remove(0, _stderr.Length - (MaxStderrChars / 2));
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_pumpCancellation.IsCancellationRequested)
        {
            // Disposed while the script still had output.
        }
    }
}
