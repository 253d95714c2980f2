using Microsoft.Extensions.AI;

namespace Cordial.Bot.Delivery;

/// <summary>What a streamed reply produced, for the store and telemetry.</summary>
/// <param name="MessageIds">The messages of the reply, in order (each one replies to the one before).</param>
/// <param name="Text">The model's answer text (reasoning excluded), exactly as streamed.</param>
/// <param name="DeliveredText">
/// What the messages show once joined with <see cref="MessageSplitter.Unsplit"/>: <paramref name="Text"/>, plus the
/// reason line when the generation failed, or a notice when the model produced no text.
/// </param>
/// <param name="Outcome">How the reply ended.</param>
/// <param name="FailureReason">The short reason shown to users when the generation failed; otherwise null.</param>
/// <param name="ModelId">The answering model as reported by the stream, or null.</param>
/// <param name="Usage">Token usage reported by the stream, or null.</param>
/// <param name="FinishReason">The stream's finish reason, or null.</param>
/// <param name="TimeToFirstToken">From the start of the reply to the first answer text, or null if none came.</param>
/// <param name="Duration">From the start of the reply to the end of delivery.</param>
/// <param name="ReasoningLength">Characters of reasoning received (never shown).</param>
public sealed record ReplyResult(
    IReadOnlyList<ulong> MessageIds,
    string Text,
    string DeliveredText,
    ReplyOutcome Outcome,
    string? FailureReason,
    string? ModelId,
    UsageDetails? Usage,
    ChatFinishReason? FinishReason,
    TimeSpan? TimeToFirstToken,
    TimeSpan Duration,
    int ReasoningLength)
{
    /// <summary>
    /// What each message of <see cref="MessageIds"/> shows (content or embed description), aligned with it:
    /// the final parts once the reply reached its final delivery. <c>MessageSplitter.Unsplit(Parts)</c> gives
    /// <see cref="DeliveredText"/> in that case.
    /// </summary>
    public IReadOnlyList<string> Parts { get; init; } = [];
}
