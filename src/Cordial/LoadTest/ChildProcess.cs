using System.Diagnostics;
using System.Globalization;

namespace Cordial.LoadTest;

/// <summary>
/// A <c>cordial</c> child process of the load test: output drained (the last lines kept for error messages), standard
/// input held open so that the child stops by itself when this process ends, however it ends (the child watches for
/// the end of its input when <see cref="StopWhenStdinClosesVariable"/> is set). Disposing stops it: gracefully by
/// closing its input, then killed with its process tree.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    /// <summary>Set to 1 in a child's environment: the child stops gracefully when its standard input closes.</summary>
    public const string StopWhenStdinClosesVariable = "CORDIAL_STOP_WHEN_STDIN_CLOSES";

    private const int KeptLines = 40;
    private readonly Process _process;
    private readonly Queue<string> _stderr = new();
    private readonly Queue<string> _stdout = new();
    private readonly Lock _gate = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];
    private readonly Task _readers;
    private int _stopping;

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        _readers = Task.WhenAll(ReadAsync(process.StandardOutput, _stdout, matchWaiters: true), ReadAsync(process.StandardError, _stderr, matchWaiters: false));
        Exited = ObserveExitAsync();
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Completes when the process has exited (with its exit code), for any reason.</summary>
    public Task<int> Exited { get; }

    /// <summary>Whether <see cref="StopAsync"/> was called: an exit after it is expected.</summary>
    public bool Stopping => Volatile.Read(ref _stopping) != 0;

    public static ChildProcess Start(string name, CordialExecutable executable, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var start = executable.StartInfo(arguments);
        start.WorkingDirectory = workingDirectory;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        foreach (var key in start.Environment.Keys.ToList())
        {
            // Settings of the caller's own bot must not leak into the children.
            if (key.StartsWith("CORDIAL_", StringComparison.OrdinalIgnoreCase) || IsSettingVariable(key))
            {
                start.Environment.Remove(key);
            }
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        start.Environment[StopWhenStdinClosesVariable] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start the {name} process.");
        return new ChildProcess(name, process);
    }

    /// <summary>Waits for the first output line matching <paramref name="match"/>; fails with the child's last error lines if it exits first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (var line in _stdout)
            {
                if (match(line))
                {
                    return line;
                }
            }

            _waiters.Add((match, found));
        }

        var winner = await Task.WhenAny(found.Task, Exited).WaitAsync(timeout, cancellationToken);
        if (winner == found.Task && found.Task.IsCompletedSuccessfully)
        {
            return found.Task.Result;
        }

        await _readers.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        throw new ChildProcessFailedException(DescribeExit());
    }

    /// <summary>The last lines the child wrote (at most 40 of each stream; its logs go to standard output).</summary>
    public IReadOnlyList<string> LastOutputLines()
    {
        lock (_gate)
        {
            return [.. _stdout, .. _stderr];
        }
    }

    /// <summary>"the bot (pid N) exited with code C; its last error output: …".</summary>
    public string DescribeExit()
    {
        var code = _process.HasExited ? _process.ExitCode.ToString(CultureInfo.InvariantCulture) : "?";
        string[] lines;
        lock (_gate)
        {
            lines = _stderr.Count > 0 ? [.. _stderr] : [.. _stdout.TakeLast(10)];
        }

        var tail = lines.Length == 0 ? " It wrote nothing." : " Its last output:\n    " + string.Join("\n    ", lines.TakeLast(15));
        return $"the {Name} (pid {Id}) exited with code {code}.{tail}";
    }

    /// <summary>Stops the child: closes its input (it stops gracefully), waits up to <paramref name="grace"/>, then kills its tree.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        Interlocked.Exchange(ref _stopping, 1);
        if (_process.HasExited)
        {
            return;
        }

        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
        }

        try
        {
            await Exited.WaitAsync(grace);
        }
        catch (TimeoutException)
        {
            Kill();
            await ((Task)Exited).WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public void Kill()
    {
        Interlocked.Exchange(ref _stopping, 1);
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(15));
        await _readers.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _process.Dispose();
    }

    private static bool IsSettingVariable(string key) =>
        key.Contains("__", StringComparison.Ordinal) &&
        (key.StartsWith("Discord__", StringComparison.OrdinalIgnoreCase) || key.StartsWith("Llm__", StringComparison.OrdinalIgnoreCase)
         || key.StartsWith("Bot__", StringComparison.OrdinalIgnoreCase) || key.StartsWith("Storage__", StringComparison.OrdinalIgnoreCase)
         || key.StartsWith("Http__", StringComparison.OrdinalIgnoreCase) || key.StartsWith("Delivery__", StringComparison.OrdinalIgnoreCase));

    private async Task<int> ObserveExitAsync()
    {
        await _process.WaitForExitAsync(CancellationToken.None);
        lock (_gate)
        {
            foreach (var (_, found) in _waiters)
            {
                found.TrySetCanceled();
            }

            _waiters.Clear();
        }

        return _process.ExitCode;
    }

    private async Task ReadAsync(StreamReader reader, Queue<string> kept, bool matchWaiters)
    {
        try
        {
            while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
            {
                lock (_gate)
                {
                    kept.Enqueue(line);
                    while (kept.Count > KeptLines)
                    {
                        kept.Dequeue();
                    }

                    if (matchWaiters)
                    {
                        for (var i = _waiters.Count - 1; i >= 0; i--)
                        {
                            if (_waiters[i].Match(line))
                            {
                                _waiters[i].Found.TrySetResult(line);
                                _waiters.RemoveAt(i);
                            }
                        }
                    }
                }
            }
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
