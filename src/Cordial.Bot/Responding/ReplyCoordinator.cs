using Microsoft.Extensions.Logging;

namespace Cordial.Bot.Responding;

/// <summary>
/// One answer at a time per user and channel, and no lost messages:
/// <list type="bullet">
/// <item>the first message starts its answer at once (no added latency);</item>
/// <item>a message arriving while the previous answer has shown nothing yet replaces it: the pending model call is
/// cancelled and restarted with the newer message, whose conversation includes the earlier one (a merge, never a second
/// concurrent request);</item>
/// <item>a message arriving once the answer is visible waits and is answered next (later ones merge into it);</item>
/// <item>the slot is released in a <c>finally</c> whatever happens — failure, timeout, cancellation — so no user can be
/// locked out.</item>
/// </list>
/// </summary>
/// <remarks>Thread-safe. One short lock; never held across an await.</remarks>
public sealed partial class ReplyCoordinator(ILogger<ReplyCoordinator> logger) : IAsyncDisposable
{
    /// <summary>Runs one attempt at answering; returns when the answer is delivered, failed, or was cancelled.</summary>
    public delegate Task AttemptAsync(ReplyRequest request, ReplyAttempt attempt, CancellationToken cancellationToken);

    private readonly Lock _gate = new();
    private readonly Dictionary<(ulong Channel, ulong User), Slot> _slots = [];
    private readonly HashSet<Task> _running = [];
    private readonly CancellationTokenSource _shutdown = new();

    /// <summary>Users with an answer in progress or queued.</summary>
    public int ActiveSlots
    {
        get
        {
            lock (_gate)
            {
                return _slots.Count;
            }
        }
    }

    /// <summary>
    /// The node of the request still waiting for a visible answer for this user and channel, if any: a new message from
    /// the user then merges into it (and continues it, whatever else was said in between).
    /// </summary>
    public bool TryGetWaiting(ulong channelId, ulong userId, out ReplyRequest waiting)
    {
        lock (_gate)
        {
            if (_slots.TryGetValue((channelId, userId), out var slot) && !slot.Visible)
            {
                waiting = slot.Latest;
                return true;
            }
        }

        waiting = null!;
        return false;
    }

    /// <summary>
    /// Hands a request over; returns when the answer first waits (for the model, Discord or a slot), and the answer goes
    /// on in the background, tracked for shutdown.
    /// </summary>
    public void Submit(ReplyRequest request, AttemptAsync attempt)
    {
        var key = (request.Message.ChannelId, request.Message.Author.Id);
        Slot? slot = null;
        ReplyAttempt? superseded = null;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_shutdown.IsCancellationRequested, this);
            if (!_slots.TryGetValue(key, out var existing))
            {
                slot = new Slot(request);
                _slots[key] = slot;
            }
            else if (!existing.Visible)
            {
                existing.Latest = request;
                superseded = existing.Attempt;
            }
            else
            {
                existing.Queued = request;
            }
        }

        if (slot is null)
        {
            // Cancelling runs callbacks (the HTTP call's, for one): never under our lock.
            superseded?.Restart();
            Log.MergedOrQueued(logger, request.Message.Id);
            return;
        }

        // Started here, not queued: the answer runs on the caller's thread up to its first wait for I/O (the model
        // request is on the wire by then), so a busy thread pool's queue is not on every message's path.
        var run = RunSlotAsync(key, slot, attempt);
        lock (_gate)
        {
            _running.Add(run);
        }

        _ = run.ContinueWith(
            t =>
            {
                lock (_gate)
                {
                    _running.Remove(t);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private async Task RunSlotAsync((ulong, ulong) key, Slot slot, AttemptAsync attempt)
    {
        try
        {
            var deferred = false;
            while (true)
            {
                ReplyRequest request;
                ReplyAttempt current;
                lock (_gate)
                {
                    request = slot.Latest;
                    current = new ReplyAttempt(this, slot, request, _shutdown.Token) { Deferred = deferred };
                    slot.Attempt = current;
                }

                deferred = true;

                try
                {
                    await attempt(request, current, current.Token);
                }
                catch (OperationCanceledException) when (current.Token.IsCancellationRequested)
                {
                    // restarted for a merge, or shutting down: decided below
                }
                catch (Exception ex)
                {
                    Log.AttemptFailed(logger, ex, request.Message.Id);
                }
                finally
                {
                    current.Dispose();
                }

                lock (_gate)
                {
                    if (_shutdown.IsCancellationRequested)
                    {
                        return;
                    }

                    if (!ReferenceEquals(slot.Latest, request) && !slot.Visible)
                    {
                        continue; // merged: answer the newer message instead, nothing was shown
                    }

                    if (slot.Queued is { } next)
                    {
                        slot.Latest = next;
                        slot.Queued = null;
                        slot.Visible = false;
                        continue;
                    }

                    return;
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                if (_slots.TryGetValue(key, out var registered) && ReferenceEquals(registered, slot))
                {
                    _slots.Remove(key);
                }
            }
        }
    }

    /// <summary>Stops accepting requests, cancels running answers and waits for them to end.</summary>
    public async ValueTask DisposeAsync()
    {
        Task[] running;
        lock (_gate)
        {
            if (_shutdown.IsCancellationRequested)
            {
                return;
            }

            _shutdown.Cancel();
            running = [.. _running];
        }

        await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _shutdown.Dispose();
    }

    internal sealed class Slot(ReplyRequest first)
    {
        public ReplyRequest Latest { get; set; } = first;
        public ReplyRequest? Queued { get; set; }
        public bool Visible { get; set; }
        public ReplyAttempt? Attempt { get; set; }
    }

    /// <summary>One try at answering a request; cancelled when a newer message merges into it before anything was shown.</summary>
    public sealed class ReplyAttempt : IDisposable
    {
        private readonly ReplyCoordinator _owner;
        private readonly Slot _slot;
        private readonly ReplyRequest _request;
        private readonly CancellationTokenSource _cts;

        internal ReplyAttempt(ReplyCoordinator owner, Slot slot, ReplyRequest request, CancellationToken shutdown)
        {
            _owner = owner;
            _slot = slot;
            _request = request;
            _cts = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        }

        public CancellationToken Token => _cts.Token;

        /// <summary>
        /// True when this attempt did not start as its user's message arrived: it answers a message that merged into, or
        /// waited behind, an earlier answer of the same user (the bot-overhead figures leave such attempts out).
        /// </summary>
        public bool Deferred { get; init; }

        /// <summary>
        /// Marks the answer visible (call just before the first message is posted). Returns false when a newer message
        /// has merged into this request meanwhile: the caller must then stop without posting.
        /// </summary>
        public bool TryMarkVisible()
        {
            lock (_owner._gate)
            {
                if (!ReferenceEquals(_slot.Latest, _request) || _cts.IsCancellationRequested)
                {
                    return false;
                }

                _slot.Visible = true;
                return true;
            }
        }

        internal void Restart()
        {
            try
            {
                _cts.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        public void Dispose() => _cts.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Message {MessageId} merged into (or queued behind) the same user's answer in progress")]
        public static partial void MergedOrQueued(ILogger logger, ulong messageId);

        [LoggerMessage(3, LogLevel.Error, "Answering message {MessageId} failed unexpectedly")]
        public static partial void AttemptFailed(ILogger logger, Exception exception, ulong messageId);
    }
}
