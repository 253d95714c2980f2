namespace Cordial.Emulator.Llm;

/// <summary>Everything one response will contain, decided before the first byte is written.</summary>
internal sealed class AnswerPlan
{
    public required LlmBehavior Behavior { get; init; }
    public required IReadOnlyList<string> ReasoningPieces { get; init; }
    public required IReadOnlyList<string> TextPieces { get; init; }
    public PlannedToolCall? ToolCall { get; init; }
    public required AnswerFinish Finish { get; init; }
    public required int PromptTokens { get; init; }

    public string Reasoning => string.Concat(ReasoningPieces);
    public string Text => string.Concat(TextPieces);
    public int ReasoningTokens => ReasoningPieces.Count;

    public int CompletionTokens =>
        ReasoningPieces.Count + TextPieces.Count + (ToolCall is null ? 0 : Math.Max(1, WordTokens.Count(ToolCall.ArgumentsJson)));

    /// <summary>Number of streamed units (reasoning words, answer words, argument pieces): what pacing and CutStream count.</summary>
    public int StreamUnits => ReasoningPieces.Count + TextPieces.Count + (ToolCall?.ArgumentPieces.Count ?? 0);
}
