namespace Cordial.Llm.Providers;

/// <summary>Maps an HTTP error status (and the error body's wording) to an <see cref="LlmFailureKind"/>.</summary>
internal static class ProviderFailureClassifier
{
    private static readonly string[] ContextMarkers =
    [
        "context_length_exceeded", "context length", "context window", "maximum context", "prompt is too long",
        "too many tokens", "string_above_max_length", "reduce the length", "input is too long",
    ];

    public static LlmFailureKind FromStatus(int status, string? body)
    {
        if (status is 400 or 413 or 422 && MentionsContextLength(body))
        {
            return LlmFailureKind.ContextTooLong;
        }

        return status switch
        {
            0 => LlmFailureKind.ProviderUnavailable,
            401 or 403 => LlmFailureKind.Unauthorized,
            404 => LlmFailureKind.ModelNotFound,
            408 => LlmFailureKind.Timeout,
            413 => LlmFailureKind.ContextTooLong,
            429 => LlmFailureKind.RateLimited,
            >= 500 => LlmFailureKind.ProviderUnavailable,
            >= 400 => LlmFailureKind.BadRequest,
            _ => LlmFailureKind.Unknown,
        };
    }

    private static bool MentionsContextLength(string? body) =>
        body is not null && ContextMarkers.Any(m => body.Contains(m, StringComparison.OrdinalIgnoreCase));
}
