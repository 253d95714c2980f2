namespace Cordial.LoadTest;

/// <summary>How one answer ended, as observed in the Discord emulator. Times are the emulator's.</summary>
/// <param name="Error">Null when the complete answer arrived; otherwise why not.</param>
/// <param name="LastMessageId">The bot's last message of the answer (for a later reply to it), if any.</param>
internal sealed record ReplyOutcome(string? Error, DateTimeOffset SentAt, DateTimeOffset? FirstMessageAt, DateTimeOffset? CompletedAt, ulong? LastMessageId)
{
    public TimeSpan? TimeToFirstMessage => FirstMessageAt - SentAt;

    public TimeSpan? AnswerTime => CompletedAt - SentAt;
}
