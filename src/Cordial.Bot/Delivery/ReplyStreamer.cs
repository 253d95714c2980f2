using System.Globalization;
using System.Text;
using Cordial.Bot.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cordial.Bot.Delivery;

/// <summary>
/// Streams one model answer into Discord: typing at once, the first message at the first token, then edits that
/// always carry the latest text, split into reply-chained parts at the message limit.
/// </summary>
/// <remarks>
/// <para>
/// Two loops per reply. The <b>reader</b> (the caller of <see cref="RunAsync"/>) consumes the model's stream and
/// only appends to a text slot and wakes the delivery loop: it never waits for Discord. The <b>delivery loop</b>
/// makes one create or edit at a time with the newest text it finds, so edits coalesce naturally and their pace is
/// the channel's rate-limit bucket, which <see cref="IReplySurface"/> awaits. There is no timer shared between
/// replies and no reply waits for another one.
/// </para>
/// <para>
/// Parts follow <see cref="MessageSplitter"/>: once the text passes the limit, the current part is finalised
/// (edited to its final text) and the rest continues in a new message that replies to the previous part. When the
/// model's stream ends, the final state is always delivered. A failed stream ends the reply with a reason line
/// (or sends one when nothing was shown yet); cancellation stops everything and throws
/// <see cref="OperationCanceledException"/>. Reasoning content is hidden (previewed only with
/// <see cref="DeliveryOptions.ShowReasoning"/>, until the answer starts).
/// </para>
/// <para>One instance per reply: <see cref="RunAsync"/> may be called once.</para>
/// </remarks>
public sealed class ReplyStreamer
{
    private const string WarningSign = "\u26A0\uFE0F ";
    private const string EmptyAnswerNotice = "The model returned an empty answer.";
    private const string ReasoningPrefix = "-# \U0001F4AD ";
    private const int ReasoningPreviewLength = 160;

    private readonly IReplySurface _surface;
    private readonly ulong? _replyToMessageId;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IGenerationFailureDescriber _failureDescriber;
    private readonly DeliveryMode _mode;
    private readonly int _limit;
    private readonly int _inProgressColor;
    private readonly int _doneColor;
    private readonly int _failedColor;
    private readonly TimeSpan _typingRefresh;
    private readonly TimeSpan _editInterval;
    private readonly bool _silent;
    private readonly bool _showFooter;
    private readonly bool _closeCodeBlocksWhileStreaming;
    private readonly int _maxConsecutiveFailures;
    private readonly int _maxReplyLength;
    private readonly bool _showReasoning;
    private readonly BotStats? _stats;

    private WakeSignal _wake = null!; // set by RunAsync, before either loop starts

    // The slot shared by the reader and the delivery loop; every field below is guarded by _gate.
    private readonly Lock _gate = new();
    private StringBuilder? _text = new(); // the answer while the model streams it; at the end it becomes _answer
    private string? _answer;
    private int _version;
    private bool _ended;
    private string? _failureReason;
    private bool _timedOut; // the failure is the read time limit
    private string? _modelId;
    private UsageDetails? _usage;
    private ChatFinishReason? _finishReason;
    private long? _firstTextAt;
    private long? _firstContentAt;
    private long _endedAt;
    private int _reasoningLength;
    private string _reasoningTail = "";
    private bool _truncated;
    private long _undeliveredSince = -1; // when text the delivery loop has not taken yet first arrived; -1: none

    private int _used;

    /// <summary>Creates the streamer of one reply.</summary>
    /// <param name="surface">The channel the reply goes to.</param>
    /// <param name="replyToMessageId">The message the first part replies to (the user's message), or null.</param>
    /// <param name="options">Validated here; values are copied.</param>
    /// <param name="timeProvider">Clock for typing refresh and timings; default <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Logger; default none.</param>
    /// <param name="failureDescriber">Reason sentences for failed streams; default <see cref="GenerationFailureDescriber"/>.</param>
    /// <param name="stats">Where the token → Discord overhead is recorded (with <paramref name="timeProvider"/> timestamps); default none.</param>
    /// <exception cref="OptionsValidationException"><paramref name="options"/> is invalid.</exception>
    public ReplyStreamer(
        IReplySurface surface,
        ulong? replyToMessageId,
        DeliveryOptions options,
        TimeProvider? timeProvider = null,
        ILogger<ReplyStreamer>? logger = null,
        IGenerationFailureDescriber? failureDescriber = null,
        BotStats? stats = null)
        : this(surface, replyToMessageId, ValidatedDeliveryOptions.Of(options), timeProvider, logger, failureDescriber, stats)
    {
    }

    /// <summary>Creates the streamer of one reply with options validated once for many replies (by the factory).</summary>
    internal ReplyStreamer(
        IReplySurface surface,
        ulong? replyToMessageId,
        ValidatedDeliveryOptions validated,
        TimeProvider? timeProvider,
        ILogger<ReplyStreamer>? logger,
        IGenerationFailureDescriber? failureDescriber,
        BotStats? stats)
    {
        ArgumentNullException.ThrowIfNull(surface);
        var options = validated.Value;
        _surface = surface;
        _replyToMessageId = replyToMessageId;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _failureDescriber = failureDescriber ?? new GenerationFailureDescriber();
        _mode = options.Mode;
        _limit = options.EffectiveMaxMessageLength;
        _inProgressColor = options.InProgressColor;
        _doneColor = options.DoneColor;
        _failedColor = options.FailedColor;
        _typingRefresh = options.TypingRefresh;
        _editInterval = options.EditInterval;
        _silent = options.Silent;
        _showFooter = options.ShowFooter;
        _closeCodeBlocksWhileStreaming = options.CloseCodeBlocksWhileStreaming;
        _maxConsecutiveFailures = options.MaxConsecutiveFailures;
        _maxReplyLength = options.MaxReplyLength;
        _showReasoning = options.ShowReasoning;
        _stats = stats;
    }

    /// <summary>
    /// Reads <paramref name="updates"/> to the end while delivering them, then delivers the final state.
    /// </summary>
    /// <returns>What was delivered, for the store. Generation and delivery failures are reported here, not thrown.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="InvalidOperationException">The streamer was already used.</exception>
    public Task<ReplyResult> RunAsync(IAsyncEnumerable<ChatResponseUpdate> updates, CancellationToken cancellationToken) =>
        RunAsync(updates, partCreated: null, cancellationToken);

    /// <summary>
    /// Reads <paramref name="updates"/> to the end while delivering them, then delivers the final state; tells
    /// <paramref name="partCreated"/> of each message as soon as Discord created it, before the answer ends.
    /// </summary>
    /// <param name="updates">The model's stream.</param>
    /// <param name="partCreated">
    /// Called on the delivery loop after each create (awaited before the next call); a failure is logged and changes
    /// nothing of the delivery.
    /// </param>
    /// <param name="cancellationToken">Cancels reading and delivery.</param>
    /// <param name="readTimeLimit">
    /// The longest the model's stream is read: then reading stops and the reply ends with what was said and a reason
    /// line (<see cref="ReplyOutcome.TimedOut"/>); delivering that end is bounded by <paramref name="cancellationToken"/>
    /// only. Null: no limit.
    /// </param>
    /// <returns>What was delivered, for the store. Generation and delivery failures are reported here, not thrown.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="InvalidOperationException">The streamer was already used.</exception>
    public async Task<ReplyResult> RunAsync(
        IAsyncEnumerable<ChatResponseUpdate> updates,
        Func<ReplyPart, CancellationToken, ValueTask>? partCreated,
        CancellationToken cancellationToken,
        TimeSpan? readTimeLimit = null)
    {
        ArgumentNullException.ThrowIfNull(updates);
        if (Interlocked.Exchange(ref _used, 1) != 0)
        {
            throw new InvalidOperationException("A ReplyStreamer delivers one reply; create a new one for the next reply.");
        }

        var startedAt = _time.GetTimestamp();
        using var wake = new WakeSignal(_time, cancellationToken);
        _wake = wake;
        using var typingStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var readStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // The model request first: reading runs on this thread up to its first wait, so the request is on its way before
        // the typing indicator's REST call and the delivery loop start (each also runs here up to its first wait); they
        // serve an answer the model takes far longer to begin.
        var reading = ReadAsync(updates, readStop.Token);
        var typing = RunTypingAsync(typingStop.Token);
        var delivery = DeliverAsync(typingStop, readStop, partCreated, cancellationToken);
        var outOfTime = false;
        var readTimer = readTimeLimit is { } limit ? _time.CreateTimer(_ => StopReading(), null, limit, Timeout.InfiniteTimeSpan) : null;
        try
        {
            await reading;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled by the caller: the delivery loop observes the same token and stops.
        }
        catch (Exception) when (Volatile.Read(ref outOfTime))
        {
            // The time limit stopped the model (whatever the stream made of its cancellation): end with a reason.
            Fail(new TimeoutException($"The model's stream was read for longer than the reply's time limit ({readTimeLimit})."), timedOut: true);
        }
        catch (OperationCanceledException) when (readStop.IsCancellationRequested)
        {
            // Delivery gave up (Discord refused repeatedly) and stopped the model: nothing more to read.
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
        finally
        {
            // The reply may wait for Discord a while yet: not with a timer.
            readTimer?.Dispose();
            readTimer = null;
        }

        // The answer is read, but the reply may wait seconds more for Discord (its global limit, saturated). This method's
        // state keeps its parameters to the end: let go of the stream, whose finished iterators still hold the prompt and
        // the options, so they are collected young instead of waiting with the reply (docs/PERFORMANCE.md, seventh session).
        updates = null!;

        lock (_gate)
        {
            _ended = true;
            _endedAt = _time.GetTimestamp();

            // One string for the rest of the reply: the builder's chunks hold up to twice the text, for the seconds the
            // reply may still wait for Discord.
            _answer = Streaming.ToString();
            _text = null;
        }

        _wake.Set();

        DeliverySummary summary;
        try
        {
            summary = await delivery;
        }
        finally
        {
            await typingStop.CancelAsync();
            await typing;
        }

        cancellationToken.ThrowIfCancellationRequested();
        return BuildResult(summary, startedAt);

        void StopReading()
        {
            Volatile.Write(ref outOfTime, true);
            try
            {
                readStop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // A callback that started as the read ended, and lost the race with the end of the reply: nothing to stop.
            }
        }
    }

    private async Task ReadAsync(IAsyncEnumerable<ChatResponseUpdate> updates, CancellationToken cancellationToken)
    {
        await foreach (var update in updates.WithCancellation(cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (update is null)
            {
                continue;
            }

            var (grew, truncated) = Accept(update);
            if (grew || truncated)
            {
                _wake.Set();
            }

            if (truncated)
            {
                // Leaving the loop disposes the enumerator, which ends the model request.
                return;
            }
        }
    }

    /// <summary>Takes one update into the slot: whether the answer text grew, and whether it reached the maximum.</summary>
    private (bool Grew, bool Truncated) Accept(ChatResponseUpdate update)
    {
        var now = _time.GetTimestamp();
        var grew = false;
        lock (_gate)
        {
            if (update.ModelId is { } modelId)
            {
                _modelId = modelId;
            }

            if (update.FinishReason is { } finishReason)
            {
                _finishReason = finishReason;
            }

            var contents = update.Contents; // indexed: a foreach over the IList would box an enumerator per token
            for (var i = 0; i < contents.Count; i++)
            {
                switch (contents[i])
                {
                    case TextReasoningContent reasoning:
                        _reasoningLength += reasoning.Text?.Length ?? 0;
                        _firstContentAt ??= now;
                        if (_showReasoning && !string.IsNullOrEmpty(reasoning.Text) && Streaming.Length == 0)
                        {
                            _reasoningTail = KeepTail(_reasoningTail + reasoning.Text, ReasoningPreviewLength * 2);
                            _version++;
                            grew = true;
                        }

                        break;
                    case TextContent text when !string.IsNullOrEmpty(text.Text) && !_truncated:
                        AppendBounded(text.Text);
                        _version++;
                        _firstTextAt ??= now;
                        _firstContentAt ??= now;
                        grew = true;
                        break;
                    case UsageContent usage:
                        _usage = Merge(_usage, usage.Details);
                        break;
                }
            }

            if (grew && _undeliveredSince < 0)
            {
                _undeliveredSince = now;
            }
        }

        return (grew, _truncated);
    }

    /// <summary>The answer text while the model streams it. Under _gate.</summary>
    private StringBuilder Streaming => _text ?? throw new InvalidOperationException("The model's stream has ended.");

    /// <summary>The answer text so far (all of it once the stream ended). Under _gate.</summary>
    private string AnswerText() => _answer ?? Streaming.ToString();

    /// <summary>Appends answer text up to the maximum reply length (never splitting a surrogate pair). Under _gate.</summary>
    private void AppendBounded(string text)
    {
        var room = _maxReplyLength - Streaming.Length;
        if (text.Length <= room)
        {
            Streaming.Append(text);
            return;
        }

        var take = room;
        if (take > 0 && char.IsHighSurrogate(text[take - 1]))
        {
            take--;
        }

        Streaming.Append(text, 0, take);
        _truncated = true;
    }

    private void Fail(Exception exception, bool timedOut = false)
    {
        string reason;
        try
        {
            reason = _failureDescriber.Describe(exception);
        }
#pragma warning disable CA1031 // A broken describer must not silence the reply.
        catch (Exception)
#pragma warning restore CA1031
        {
            reason = new GenerationFailureDescriber().Describe(exception);
        }

        int length;
        lock (_gate)
        {
            _failureReason = string.IsNullOrWhiteSpace(reason) ? new GenerationFailureDescriber().Describe(exception) : reason.Trim();
            _timedOut = timedOut;
            length = Streaming.Length;
        }

        DeliveryLog.GenerationFailed(_logger, length, exception.GetType().Name, exception);
    }

    /// <summary>Longest wait for one typing indicator; past it the indicator is skipped (the next refresh tries again).</summary>
    internal static readonly TimeSpan TypingBudget = TimeSpan.FromSeconds(1);

    private async Task RunTypingAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                // Typing is best effort: when Discord's global limit is saturated (many replies at once) an indicator
                // that cannot go out within TypingBudget is refused by the surface (a result, not an exception), never
                // queued in front of replies' messages.
                try
                {
                    if (!await _surface.TryTriggerTypingAsync(TypingBudget, stop))
                    {
                        DeliveryLog.TypingSkipped(_logger, TypingBudget);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    DeliveryLog.TypingFailed(_logger, ex);
                }

                await Task.Delay(_typingRefresh, _time, stop);
            }
        }
        catch (OperationCanceledException)
        {
            // Typing ends with the first message, the reply, or cancellation.
        }
    }

    /// <summary>
    /// The delivery loop: one create or edit at a time with the newest text, until the final state is shown. One method
    /// (not a wrapper around the loop): under load a reply waits here ~17 s for Discord, and each frame waits with it.
    /// </summary>
    private async Task<DeliverySummary> DeliverAsync(
        CancellationTokenSource typingStop, CancellationTokenSource readStop, Func<ReplyPart, CancellationToken, ValueTask>? partCreated, CancellationToken cancellationToken)
    {
        var state = new DeliveryState(new SplitCursor(_limit));
        try
        {
            var failures = 0;
            var freeSince = long.MinValue;
            var nextEditAt = long.MinValue;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var snapshot = TakeSnapshot(state);
                var step = Plan(state, snapshot);
                if (step is null)
                {
                    if (snapshot.Ended)
                    {
                        return state.Summarize(deliveryFailed: false);
                    }

                    await _wake.WaitAsync();
                    continue;
                }

                var (index, render) = step.Value;
                if (!snapshot.Ended && state.MessageIds[index] is not null && _time.GetTimestamp() < nextEditAt)
                {
                    // Paced: wait for the interval (or the end of the stream), then edit with whatever text is newest then.
                    await WaitForEndAsync(nextEditAt);
                    freeSince = _stats is null ? freeSince : _time.GetTimestamp(); // the pacing wait is not overhead
                    continue;
                }

                if (_stats is not null && snapshot.UndeliveredSince >= 0)
                {
                    // Overhead: new text waited for this loop, from when it arrived or the previous call returned (pacing and
                    // Discord's own time are not the bot's), to this call.
                    _stats.RecordSince(_stats.TokenToDiscord, Math.Max(snapshot.UndeliveredSince, freeSince));
                }

                ReplyPart? created = null;
                try
                {
                    state.Calls++;
                    var messageId = state.MessageIds[index];
                    var previous = messageId is null ? state.ReplyTargetFor(index) : null;
                    var latest = new LatestRender(this, state, index, render, messageId is null ? previous ?? _replyToMessageId : null);
                    if (messageId is { } existing)
                    {
                        await _surface.EditLatestAsync(existing, latest.Take, cancellationToken);
                    }
                    else
                    {
                        var id = await _surface.SendLatestAsync(latest.Take, cancellationToken);
                        state.MessageIds[index] = id;
                        created = new ReplyPart(id, previous, latest.Sent.Text);
                        await typingStop.CancelAsync();
                    }

                    state.Shown[index] = latest.Sent;
                    nextEditAt = _time.GetTimestamp() + (long)(_editInterval.TotalSeconds * _time.TimestampFrequency);
                    failures = 0;
                }
                catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
                {
                    failures++;
                    DeliveryLog.SurfaceCallFailed(_logger, failures, ex);
                    if (failures >= _maxConsecutiveFailures)
                    {
                        DeliveryLog.DeliveryAbandoned(_logger, failures);
                        await readStop.CancelAsync();
                        await typingStop.CancelAsync();
                        return state.Summarize(deliveryFailed: true);
                    }
                }

                if (created is { } part && partCreated is not null)
                {
                    await TellPartCreatedAsync(partCreated, part, cancellationToken);
                }

                freeSince = _stats is null ? freeSince : _time.GetTimestamp();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // The delivery loop must never crash the process; it reports and stops.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            DeliveryLog.DeliveryLoopFailed(_logger, ex);
            await readStop.CancelAsync();
            return state.Summarize(deliveryFailed: true);
        }
    }

    private async ValueTask TellPartCreatedAsync(Func<ReplyPart, CancellationToken, ValueTask> partCreated, ReplyPart part, CancellationToken cancellationToken)
    {
        try
        {
            await partCreated(part, cancellationToken);
        }
#pragma warning disable CA1031 // The listener's failure is not the reply's: the message exists and delivery goes on.
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
#pragma warning restore CA1031
        {
            DeliveryLog.PartListenerFailed(_logger, ex);
        }
    }

    /// <summary>
    /// How one create or edit looks when Discord takes it: the plan is made again then, so a call that waited behind a
    /// busy rate limit carries the newest text — under load a reply whose stream ended meanwhile is delivered in one
    /// create instead of a create with its first words and an edit. Asked on the delivery loop's own flow (the loop is
    /// awaiting the call), once per attempt.
    /// </summary>
    private sealed class LatestRender(ReplyStreamer owner, DeliveryState state, int index, PartRender planned, ulong? replyTo)
    {
        /// <summary>What the last attempt sent (the planned render until one was made).</summary>
        public PartRender Sent { get; private set; } = planned;

        /// <summary>The message to send now (a method group the surface calls: no closure per call).</summary>
        public OutgoingMessage Take()
        {
            // The same part only: a plan that now starts elsewhere (an earlier part to finish first) keeps this call's render.
            if (owner.Plan(state, owner.TakeSnapshot(state)) is { } now && now.Index == index)
            {
                Sent = now.Render;
            }

            return owner.ToMessage(Sent, replyTo);
        }
    }

    /// <summary>Returns at <paramref name="deadline"/> (a <see cref="TimeProvider"/> timestamp), or sooner once the model's stream has ended.</summary>
    private async Task WaitForEndAsync(long deadline)
    {
        while (true)
        {
            lock (_gate)
            {
                if (_ended)
                {
                    return;
                }
            }

            var left = _time.GetElapsedTime(_time.GetTimestamp(), deadline);
            if (left <= TimeSpan.Zero || !await _wake.WaitAsync(left))
            {
                return;
            }
        }
    }

    private Snapshot TakeSnapshot(DeliveryState state)
    {
        lock (_gate)
        {
            // After the end, the loop shares the one answer string rather than keep an equal copy of its own.
            if (_version != state.SeenVersion || (_answer is not null && !ReferenceEquals(state.Text, _answer)))
            {
                state.Text = AnswerText();
                state.SeenVersion = _version;
            }

            var undeliveredSince = _undeliveredSince;
            _undeliveredSince = -1;
            return new Snapshot(_ended, _failureReason, _truncated, _modelId, _usage, _firstContentAt, _endedAt, _reasoningTail, undeliveredSince);
        }
    }

    /// <summary>The next create/edit to make (part index and how it should look), or null when all is shown.</summary>
    private (int Index, PartRender Render)? Plan(DeliveryState state, Snapshot snapshot)
    {
        var text = snapshot.Ended ? state.FinalText ??= ComposeFinalText(state, snapshot) : state.Text;
        var cursor = state.Cursor;
        cursor.Advance(text);
        state.EnsureSlots(cursor.Parts.Count + 1);

        for (var i = state.Settled; i < cursor.Parts.Count; i++)
        {
            var final = Render(cursor.Parts[i], RenderKind.Final, snapshot);
            if ((state.MessageIds[i] is null && string.IsNullOrWhiteSpace(final.Text)) || state.Shown[i] == final)
            {
                // Settled: shown in its final form, or made only of blanks (Discord refuses empty messages).
                state.Settled = i + 1;
                continue;
            }

            return (i, final);
        }

        if (!snapshot.Ended && cursor.Parts.Count == 0 && string.IsNullOrWhiteSpace(text) && ReasoningPreview(snapshot.ReasoningTail) is { } preview)
        {
            var previewRender = Render(preview, RenderKind.InProgress, snapshot);
            return state.Shown[0] == previewRender ? null : (0, previewRender);
        }

        if (cursor.TailIsEmpty(text))
        {
            return null;
        }

        var tail = cursor.RenderTail(text);
        var index = cursor.Parts.Count;
        PartRender render;
        if (snapshot.Ended)
        {
            render = Render(tail, RenderKind.Last, snapshot);
        }
        else
        {
            if (_closeCodeBlocksWhileStreaming && FenceRules.StateAtEnd(text, cursor.Position, cursor.Fence) is { } open
                && tail.Length + open.Length + 1 <= _limit)
            {
                tail = string.Concat(tail, "\n", open.Marker);
            }

            render = Render(tail, RenderKind.InProgress, snapshot);
        }

        if (string.IsNullOrWhiteSpace(render.Text) || state.Shown[index] == render)
        {
            return null;
        }

        return (index, render);
    }

    /// <summary>The text the finished reply shows: the answer, plus a reason line or an empty-answer notice.</summary>
    private string ComposeFinalText(DeliveryState state, Snapshot snapshot)
    {
        var text = state.Text;
        var notice = snapshot.FailureReason
            ?? (snapshot.Truncated ? TruncationNotice() : null)
            ?? (string.IsNullOrWhiteSpace(text) ? EmptyAnswerNotice : null);
        if (notice is null)
        {
            return text;
        }

        var builder = new StringBuilder(text);
        if (!string.IsNullOrWhiteSpace(text))
        {
            var cursor = state.Cursor;
            if (FenceRules.StateAtEnd(text, Math.Min(cursor.Position, text.Length), cursor.Fence) is { } open)
            {
                builder.Append(text.EndsWith('\n') ? "" : "\n").Append(open.Marker).Append('\n');
            }

            builder.Append(builder[^1] == '\n' ? "\n" : "\n\n");
        }
        else if (text.Length > 0)
        {
            builder.Append('\n');
        }

        return builder.Append(WarningSign).Append(notice).ToString();
    }

    /// <summary>One line of subtext with the latest words of the reasoning, or null when there is nothing to show.</summary>
    private static string? ReasoningPreview(string reasoningTail)
    {
        var words = string.Join(' ', reasoningTail.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (words.Length == 0)
        {
            return null;
        }

        words = KeepTail(words, ReasoningPreviewLength);
        return ReasoningPrefix + (words.Length == ReasoningPreviewLength ? "\u2026" : "") + words;
    }

    /// <summary>The last <paramref name="length"/> characters of <paramref name="text"/>, not starting inside a surrogate pair.</summary>
    private static string KeepTail(string text, int length)
    {
        if (text.Length <= length)
        {
            return text;
        }

        var start = text.Length - length;
        if (char.IsLowSurrogate(text[start]))
        {
            start++;
        }

        return text[start..];
    }

    private string TruncationNotice() =>
        string.Create(CultureInfo.InvariantCulture, $"The answer was longer than {_maxReplyLength} characters and was cut here.");

    private PartRender Render(string text, RenderKind kind, Snapshot snapshot)
    {
        if (_mode == DeliveryMode.Plain)
        {
            return new PartRender(text, 0, null);
        }

        return kind switch
        {
            RenderKind.InProgress => new PartRender(text, _inProgressColor, null),
            RenderKind.Final => new PartRender(text, _doneColor, null),
            _ => new PartRender(text, snapshot.FailureReason is null ? _doneColor : _failedColor, _showFooter ? FormatFooter(snapshot) : null),
        };
    }

    private string? FormatFooter(Snapshot snapshot)
    {
        var pieces = new List<string>(3);
        if (!string.IsNullOrWhiteSpace(snapshot.ModelId))
        {
            pieces.Add(snapshot.ModelId.Length > 100 ? snapshot.ModelId[..100] : snapshot.ModelId);
        }

        if (snapshot.Usage?.OutputTokenCount is { } tokens and > 0)
        {
            pieces.Add(string.Create(CultureInfo.InvariantCulture, $"{tokens} tokens"));
            if (snapshot.FirstContentAt is { } first)
            {
                var seconds = _time.GetElapsedTime(first, snapshot.EndedAt).TotalSeconds;
                if (seconds > 0)
                {
                    pieces.Add(string.Create(CultureInfo.InvariantCulture, $"{tokens / seconds:0.0} tokens/s"));
                }
            }
        }

        return pieces.Count == 0 ? null : string.Join(" \u00B7 ", pieces);
    }

    private OutgoingMessage ToMessage(PartRender render, ulong? replyTo) =>
        _mode == DeliveryMode.Plain
            ? OutgoingMessage.FromContent(render.Text, replyTo, _silent)
            : OutgoingMessage.FromEmbed(new OutgoingEmbed(render.Text, render.Color, render.Footer), replyTo, _silent);

    private ReplyResult BuildResult(DeliverySummary summary, long startedAt)
    {
        string text;
        string? failure;
        string? modelId;
        UsageDetails? usage;
        ChatFinishReason? finishReason;
        long? firstTextAt;
        int reasoningLength;
        bool truncated;
        bool timedOut;
        lock (_gate)
        {
            text = AnswerText();
            failure = _failureReason;
            modelId = _modelId;
            usage = _usage;
            finishReason = _finishReason;
            firstTextAt = _firstTextAt;
            reasoningLength = _reasoningLength;
            truncated = _truncated;
            timedOut = _timedOut;
        }

        var outcome = summary.DeliveryFailed ? ReplyOutcome.DeliveryFailed
            : timedOut ? ReplyOutcome.TimedOut
            : failure is not null ? ReplyOutcome.GenerationFailed
            : truncated ? ReplyOutcome.Truncated
            : ReplyOutcome.Completed;
        DeliveryLog.ReplyDelivered(_logger, summary.MessageIds.Count, summary.DeliveredText.Length, summary.Calls, outcome);
        return new ReplyResult(
            summary.MessageIds,
            text,
            summary.DeliveredText,
            outcome,
            failure,
            modelId,
            usage,
            finishReason,
            firstTextAt is { } first ? _time.GetElapsedTime(startedAt, first) : null,
            _time.GetElapsedTime(startedAt),
            reasoningLength)
        {
            Parts = summary.Parts,
        };
    }

    private static UsageDetails Merge(UsageDetails? earlier, UsageDetails? later) => new()
    {
        InputTokenCount = later?.InputTokenCount ?? earlier?.InputTokenCount,
        OutputTokenCount = later?.OutputTokenCount ?? earlier?.OutputTokenCount,
        TotalTokenCount = later?.TotalTokenCount ?? earlier?.TotalTokenCount,
        CachedInputTokenCount = later?.CachedInputTokenCount ?? earlier?.CachedInputTokenCount,
        ReasoningTokenCount = later?.ReasoningTokenCount ?? earlier?.ReasoningTokenCount,
    };

    private enum RenderKind
    {
        InProgress,
        Final,
        Last,
    }

    private readonly record struct Snapshot(
        bool Ended, string? FailureReason, bool Truncated, string? ModelId, UsageDetails? Usage, long? FirstContentAt, long EndedAt, string ReasoningTail,
        long UndeliveredSince);

    private readonly record struct DeliverySummary(
        IReadOnlyList<ulong> MessageIds, IReadOnlyList<string> Parts, string DeliveredText, int Calls, bool DeliveryFailed);

    /// <summary>What the delivery loop knows; touched only by that loop.</summary>
    private sealed class DeliveryState(SplitCursor cursor)
    {
        public SplitCursor Cursor { get; } = cursor;

        // Room for one part: most replies have one, and a reply may wait seconds for Discord with these lists.
        public List<ulong?> MessageIds { get; } = new(1);

        public List<PartRender?> Shown { get; } = new(1);

        public string Text { get; set; } = "";

        public string? FinalText { get; set; }

        public int SeenVersion { get; set; } = -1;

        public int Settled { get; set; }

        public int Calls { get; set; }

        public void EnsureSlots(int count)
        {
            while (MessageIds.Count < count)
            {
                MessageIds.Add(null);
                Shown.Add(null);
            }
        }

        /// <summary>The message a new part at <paramref name="index"/> replies to: the last part that was sent.</summary>
        public ulong? ReplyTargetFor(int index)
        {
            for (var i = index - 1; i >= 0; i--)
            {
                if (MessageIds[i] is { } id)
                {
                    return id;
                }
            }

            return null;
        }

        public DeliverySummary Summarize(bool deliveryFailed)
        {
            var ids = new List<ulong>(MessageIds.Count);
            var parts = new List<string>(MessageIds.Count);
            for (var i = 0; i < MessageIds.Count; i++)
            {
                if (MessageIds[i] is { } id)
                {
                    ids.Add(id);
                    parts.Add(Shown[i]?.Text ?? "");
                }
            }

            return new DeliverySummary(ids, parts, FinalText ?? Text, Calls, deliveryFailed);
        }
    }
}
