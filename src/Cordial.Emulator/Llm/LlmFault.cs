namespace Cordial.Emulator.Llm;

/// <summary>A failure the emulator plays instead of (or in the middle of) a normal answer.</summary>
/// <remarks>Inject with <see cref="LlmEmulator.InjectFault"/>; each fault is consumed by one matching request.</remarks>
public abstract record LlmFault
{
    private LlmFault()
    {
    }

    /// <summary>429 with a Retry-After header (whole seconds, rounded up) and retry-after-ms, plus the provider's error body.</summary>
    public sealed record RateLimited(TimeSpan RetryAfter) : LlmFault;

    /// <summary>An error status (500 by default; 503, 529 …) with the provider's error body.</summary>
    public sealed record ServerError(int Status = 500) : LlmFault;

    /// <summary>
    /// Streams <paramref name="AfterTokens"/> tokens, then aborts the connection without finishing the stream.
    /// A non-streaming request is aborted before any response.
    /// </summary>
    public sealed record CutStream(int AfterTokens) : LlmFault;

    /// <summary>Accepts the request and never answers, until the client gives up or the emulator stops.</summary>
    public sealed record Hang() : LlmFault;

    /// <summary>Writes a line of garbage in the middle of the stream (a non-streaming request gets invalid JSON).</summary>
    public sealed record MalformedSse() : LlmFault;

    /// <summary>404 model not found, as if the model did not exist.</summary>
    public sealed record NotFound() : LlmFault;

    /// <summary>400 context length exceeded (OpenAI code context_length_exceeded, Anthropic "prompt is too long").</summary>
    public sealed record ContextTooLong() : LlmFault;
}
