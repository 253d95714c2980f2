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
/// <param name="logger">Where unexpected failures of an attempt are logged.</param>
/// <param name="timeProvider">Clock of the attempts' time limits; default <see cref="TimeProvider.System"/>.</param>
public sealed partial class ReplyCoordinator(ILogger<ReplyCoordinator> logger, TimeProvider? timeProvider = null) : IAsyncDisposable
{
    /// <summary>Runs one attempt at answering; returns when the answer is delivered, failed, or was cancelled.</summary>
    public delegate Task AttemptAsync(ReplyRequest request, ReplyAttempt attempt, CancellationToken cancellationToken);

    private readonly Lock _gate = new();
    private readonly Dictionary<(ulong Channel, ulong User), Slot> _slots = [];
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _running; // slots whose loop has not ended yet
    private bool _disposed;

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
    /// <param name="request">The message to answer.</param>
    /// <param name="attempt">Answers it; called again for a message that merges in or waits behind the answer.</param>
    /// <param name="timeLimit">
    /// The longest an attempt may run: then its token is cancelled and <see cref="ReplyAttempt.TimedOut"/> is true, and
    /// the slot goes on to what waits behind it.
    /// </param>
    public void Submit(ReplyRequest request, AttemptAsync attempt, TimeSpan timeLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeLimit, TimeSpan.Zero);
        var key = (request.Message.ChannelId, request.Message.Author.Id);
        Slot? slot = null;
        ReplyAttempt? superseded = null;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_slots.TryGetValue(key, out var existing))
            {
                slot = new Slot(request);
                _slots[key] = slot;
                _running++;
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
            superseded?.Cancel();
            Log.MergedOrQueued(logger, request.Message.Id);
            return;
        }

        // Started here, not queued: the answer runs on the caller's thread up to its first wait for I/O (the model
        // request is on the wire by then), so a busy thread pool's queue is not on every message's path. Tracked by a
        // count, not a task per answer: what an answer keeps while it waits for Discord is kept ~1,000 times under load.
        _ = RunSlotAsync(key, slot, attempt, timeLimit);
    }

    private async Task RunSlotAsync((ulong, ulong) key, Slot slot, AttemptAsync attempt, TimeSpan timeLimit)
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
                    current = new ReplyAttempt(this, slot, request, timeLimit) { Deferred = deferred };
                    slot.Attempt = current;
                    if (_disposed)
                    {
                        current.Cancel();
                    }
                }

                deferred = true;

                try
                {
                    await attempt(request, current, current.Token);
                }
                catch (OperationCanceledException) when (current.Token.IsCancellationRequested)
                {
                    // restarted for a merge, timed out, or shutting down: decided below
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
                    if (_disposed)
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
            bool drained;
            lock (_gate)
            {
                if (_slots.TryGetValue(key, out var registered) && ReferenceEquals(registered, slot))
                {
                    _slots.Remove(key);
                }

                drained = --_running == 0 && _disposed;
            }

            if (drained)
            {
                _drained.TrySetResult();
            }
        }
    }

    /// <summary>Stops accepting requests, cancels running answers and waits (up to 30 seconds) for them to end.</summary>
    public async ValueTask DisposeAsync()
    {
        List<ReplyAttempt> running;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_running == 0)
            {
                return;
            }

            running = [.. _slots.Values.Select(slot => slot.Attempt).OfType<ReplyAttempt>()];
        }

        foreach (var attempt in running)
        {
            attempt.Cancel();
        }

        await _drained.Task.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    internal sealed class Slot(ReplyRequest first)
    {
        public ReplyRequest Latest { get; set; } = first;
        public ReplyRequest? Queued { get; set; }
        public bool Visible { get; set; }
        public ReplyAttempt? Attempt { get; set; }
    }

    /// <summary>
    /// One try at answering a request: cancelled when a newer message merges into it before anything was shown, when
    /// its time limit passes, or at shutdown.
    /// </summary>
    public sealed class ReplyAttempt : IDisposable
    {
        private readonly ReplyCoordinator _owner;
        private readonly Slot _slot;
        private readonly ReplyRequest _request;

        // One token source per attempt, with the time limit's timer: not linked to a shutdown token (shutdown cancels the
        // running attempts one by one), so an answer waiting for Discord holds no registration anywhere else.
        private readonly CancellationTokenSource _cts;
        private volatile bool _cancelled; // by a merge or shutdown, not by the time limit

        internal ReplyAttempt(ReplyCoordinator owner, Slot slot, ReplyRequest request, TimeSpan timeLimit)
        {
            _owner = owner;
            _slot = slot;
            _request = request;
            _cts = new CancellationTokenSource(timeLimit, owner._time);
        }

        public CancellationToken Token => _cts.Token;

        /// <summary>
        /// True when this attempt did not start as its user's message arrived: it answers a message that merged into, or
        /// waited behind, an earlier answer of the same user (the bot-overhead figures leave such attempts out).
        /// </summary>
        public bool Deferred { get; init; }

        /// <summary>True when the token was cancelled because the attempt ran past its time limit.</summary>
        public bool TimedOut => _cts.IsCancellationRequested && !_cancelled;

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

        /// <summary>Stops the attempt for a merge or shutdown.</summary>
        internal void Cancel()
        {
            _cancelled = true;
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
