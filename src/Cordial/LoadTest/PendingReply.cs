using Cordial.Bot.Delivery;

namespace Cordial.LoadTest;

/// <summary>
/// One user message (or slash command) waiting for the bot's answer: the bot's messages that make up the answer so far
/// (ordered by id, which is creation order) and the outcome once the answer is complete or failed. Thread-safe.
/// </summary>
internal sealed class PendingReply(ulong requestId)
{
    private readonly SortedDictionary<ulong, string> _parts = [];
    private readonly TaskCompletionSource<ReplyOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private DateTimeOffset? _sentAt;
    private DateTimeOffset? _firstMessageAt;

    public ulong RequestId { get; } = requestId;

    public Task<ReplyOutcome> Outcome => _outcome.Task;

    public bool IsDone => _outcome.Task.IsCompleted;

    public void NoteSent(DateTimeOffset at)
    {
        lock (_gate)
        {
            _sentAt ??= at;
        }
    }

    /// <summary>The message ids of the answer so far.</summary>
    public IReadOnlyList<ulong> PartIds()
    {
        lock (_gate)
        {
            return [.. _parts.Keys];
        }
    }

    /// <summary>
    /// Records the content of one of the bot's messages of this answer at <paramref name="at"/>; completes the answer when
    /// the parts put together equal <paramref name="expected"/>, fails it when a part shows the bot's failure mark.
    /// </summary>
    public void Observe(ulong messageId, string content, DateTimeOffset at, string expected)
    {
        ReplyOutcome? outcome = null;
        lock (_gate)
        {
            if (_outcome.Task.IsCompleted)
            {
                return;
            }

            _parts[messageId] = content;
            if (_firstMessageAt is null && !string.IsNullOrWhiteSpace(content))
            {
                _firstMessageAt = at;
            }

            var sentAt = _sentAt ?? at;
            var failure = content.IndexOf("⚠️", StringComparison.Ordinal);
            if (failure >= 0)
            {
                var reason = content[(failure + 2)..].Trim();
                outcome = new ReplyOutcome("the bot reported a failure: " + (reason.Length > 120 ? reason[..120] + "…" : reason), sentAt, _firstMessageAt, null, messageId);
            }
            else if (string.Equals(MessageSplitter.Unsplit(_parts.Values).Trim(), expected, StringComparison.Ordinal))
            {
                outcome = new ReplyOutcome(null, sentAt, _firstMessageAt, at, _parts.Keys.Max());
            }
        }

        if (outcome is not null)
        {
            _outcome.TrySetResult(outcome);
        }
    }

    /// <summary>Ends the wait without the complete answer (a timeout, a failed request).</summary>
    public ReplyOutcome Fail(string error, DateTimeOffset fallbackSentAt)
    {
        lock (_gate)
        {
            var lastPart = _parts.Count == 0 ? (ulong?)null : _parts.Keys.Max();
            var seen = _parts.Count == 0 ? "nothing" : $"{_parts.Count} message(s)";
            _outcome.TrySetResult(new ReplyOutcome($"{error} (seen: {seen})", _sentAt ?? fallbackSentAt, _firstMessageAt, null, lastPart));
        }

        return _outcome.Task.Result;
    }
}
