using Cordial.Emulator.Discord;

namespace Cordial.Interop.Tests;

/// <summary>
/// Records every <see cref="EmulatorEvent"/> of an emulator from the moment it is started, so a test can say what
/// happened in the whole emulator, not only in the channel it looks at.
/// </summary>
internal sealed class EmulatorEventLog : IAsyncDisposable
{
    private const int MaxEvents = 10_000;

    private readonly List<EmulatorEvent> _events = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    private EmulatorEventLog(DiscordEmulator emulator)
    {
        _pump = PumpAsync(emulator);
    }

    /// <summary>
    /// Subscribes and returns once the subscription demonstrably sees events: it creates probe users (a new one every
    /// half second, as the subscription may not be registered yet) until one's <see cref="EmulatorEventTypes.UserCreated"/>
    /// event arrives.
    /// </summary>
    public static async Task<EmulatorEventLog> StartAsync(DiscordEmulator emulator, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var log = new EmulatorEventLog(emulator);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var probe = emulator.CreateUser($"event-log-probe-{attempt}");
                for (var poll = 0; poll < 25; poll++)
                {
                    if (log.Snapshot().Any(e => e.Type == EmulatorEventTypes.UserCreated && e.UserId == probe.Id))
                    {
                        return log;
                    }

                    await Task.Delay(20, bounded.Token);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await log.DisposeAsync();
            Assert.Fail($"The emulator's event subscription saw none of its probe users within {timeout}.");
            throw;
        }
    }

    public IReadOnlyList<EmulatorEvent> Snapshot()
    {
        lock (_lock)
        {
            return [.. _events];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _pump;
        }
        catch (OperationCanceledException)
        {
            // The subscription ends by cancellation.
        }

        _stop.Dispose();
    }

    private async Task PumpAsync(DiscordEmulator emulator)
    {
        await Task.Yield();
        await foreach (var item in emulator.SubscribeAsync(_stop.Token))
        {
            lock (_lock)
            {
                if (_events.Count < MaxEvents)
                {
                    _events.Add(item);
                }
            }
        }
    }
}
