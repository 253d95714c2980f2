using Cordial.Bot.Delivery;

namespace Cordial.Bot.Tests.Delivery;

/// <summary>
/// A hand-written surface that records every call. <see cref="Hold"/> lets a test keep a create or edit open
/// (return a task from a TaskCompletionSource); <see cref="Fault"/> makes a call throw.
/// </summary>
internal sealed class FakeReplySurface : IReplySurface
{
    private readonly Lock _gate = new();
    private readonly List<SurfaceCall> _calls = [];
    private readonly Dictionary<ulong, List<OutgoingMessage>> _revisions = [];
    private readonly List<ulong> _created = [];
    private ulong _nextId = 5000;
    private int _inFlight;
    private int _typing;

    /// <summary>Called when a create/edit starts; the call completes when the returned task does.</summary>
    public Func<SurfaceCall, Task>? Hold { get; set; }

    /// <summary>Called when a create/edit starts; a non-null exception is thrown by the call.</summary>
    public Func<SurfaceCall, Exception?>? Fault { get; set; }

    /// <summary>
    /// When true, <see cref="SendLatestAsync"/> and <see cref="EditLatestAsync"/> ask for their content after
    /// <see cref="Hold"/>, as the REST surface does after the rate-limit wait (the call records what was asked at its start).
    /// </summary>
    public bool ContentWhenTaken { get; set; }

    public int MaxInFlight { get; private set; }

    public int TypingCount => Volatile.Read(ref _typing);

    public IReadOnlyList<SurfaceCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public IReadOnlyList<ulong> CreatedIds
    {
        get
        {
            lock (_gate)
            {
                return [.. _created];
            }
        }
    }

    /// <summary>The text each created message shows now, in creation order.</summary>
    public IReadOnlyList<string> CurrentTexts
    {
        get
        {
            lock (_gate)
            {
                return [.. _created.Select(id => _revisions[id][^1].Text)];
            }
        }
    }

    public IReadOnlyList<OutgoingMessage> Revisions(ulong id)
    {
        lock (_gate)
        {
            return [.. _revisions[id]];
        }
    }

    /// <summary>
    /// When set, a typing call returns what this returns for the call's budget and token (false: skipped for rate limits);
    /// unset, every indicator is shown at once.
    /// </summary>
    public Func<TimeSpan, CancellationToken, ValueTask<bool>>? Typing { get; set; }

    public ValueTask<bool> TryTriggerTypingAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _typing);
        return Typing?.Invoke(maxWait, cancellationToken) ?? ValueTask.FromResult(true);
    }

    public Task<ulong> SendAsync(OutgoingMessage message, CancellationToken cancellationToken) =>
        SendCoreAsync(message, () => message, cancellationToken);

    public Task<ulong> SendLatestAsync(Func<OutgoingMessage> latest, CancellationToken cancellationToken) =>
        ContentWhenTaken ? SendCoreAsync(latest(), latest, cancellationToken) : SendAsync(latest(), cancellationToken);

    public Task EditLatestAsync(ulong messageId, Func<OutgoingMessage> latest, CancellationToken cancellationToken) =>
        ContentWhenTaken ? EditCoreAsync(messageId, latest(), latest, cancellationToken) : EditAsync(messageId, latest(), cancellationToken);

    public Task EditAsync(ulong messageId, OutgoingMessage message, CancellationToken cancellationToken) =>
        EditCoreAsync(messageId, message, () => message, cancellationToken);

    /// <summary>A create recorded as <paramref name="asked"/> when it starts, showing what <paramref name="taken"/> returns after <see cref="Hold"/>.</summary>
    private async Task<ulong> SendCoreAsync(OutgoingMessage asked, Func<OutgoingMessage> taken, CancellationToken cancellationToken)
    {
        var call = Begin(new SurfaceCall(SurfaceCallKind.Send, null, asked));
        try
        {
            await Gate(call, cancellationToken);
            var message = taken();
            lock (_gate)
            {
                var id = _nextId++;
                _revisions[id] = [message];
                _created.Add(id);
                return id;
            }
        }
        finally
        {
            End();
        }
    }

    private async Task EditCoreAsync(ulong messageId, OutgoingMessage asked, Func<OutgoingMessage> taken, CancellationToken cancellationToken)
    {
        var call = Begin(new SurfaceCall(SurfaceCallKind.Edit, messageId, asked));
        try
        {
            await Gate(call, cancellationToken);
            var message = taken();
            lock (_gate)
            {
                _revisions[messageId].Add(message);
            }
        }
        finally
        {
            End();
        }
    }

    private SurfaceCall Begin(SurfaceCall call)
    {
        lock (_gate)
        {
            _calls.Add(call);
            _inFlight++;
            MaxInFlight = Math.Max(MaxInFlight, _inFlight);
        }

        return call;
    }

    private void End()
    {
        lock (_gate)
        {
            _inFlight--;
        }
    }

    private async Task Gate(SurfaceCall call, CancellationToken cancellationToken)
    {
        if (Hold?.Invoke(call) is { } hold)
        {
            await hold.WaitAsync(cancellationToken);
        }

        if (Fault?.Invoke(call) is { } fault)
        {
            throw fault;
        }
    }
}
