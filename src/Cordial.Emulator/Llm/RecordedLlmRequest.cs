namespace Cordial.Emulator.Llm;

/// <summary>A request the emulator answered (well-formed chat requests only), kept for assertions.</summary>
public sealed class RecordedLlmRequest
{
    /// <summary>"openai" (/v1/chat/completions) or "anthropic" (/v1/messages).</summary>
    public required string Endpoint { get; init; }

    /// <summary>The model id the request named.</summary>
    public required string Model { get; init; }

    /// <summary>Whether the request asked for a stream.</summary>
    public required bool Stream { get; init; }

    /// <summary>The request body as received (cut after <see cref="MaxRawBodyLength"/> characters).</summary>
    public required string RawBody { get; init; }

    /// <summary>The text of the last user message that has text (empty if none).</summary>
    public required string LastUserText { get; init; }

    /// <summary>Number of images in the whole request.</summary>
    public required int ImageCount { get; init; }

    /// <summary>Request headers (case-insensitive names; repeated values joined with ", ").</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    /// <summary>When the request arrived (emulator clock).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Longest body kept in <see cref="RawBody"/>.</summary>
    public const int MaxRawBodyLength = 1_000_000;
}
