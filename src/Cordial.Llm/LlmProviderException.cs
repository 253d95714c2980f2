namespace Cordial.Llm;

/// <summary>
/// The one exception type that leaves a provider adapter. Adapters translate their SDK's exceptions into it,
/// so the pipeline (retry, breaker, fallback) and the bot decide on <see cref="Kind"/> alone.
/// </summary>
public sealed class LlmProviderException : Exception
{
    public LlmProviderException(LlmFailureKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public LlmFailureKind Kind { get; }

    /// <summary>The HTTP status the provider answered with, when there was one.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The provider's Retry-After, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The provider name (from configuration) that failed.</summary>
    public string? Provider { get; init; }

    /// <summary>The configured model name that failed.</summary>
    public string? Model { get; init; }

    /// <summary>For <see cref="LlmFailureKind.QuotaExceeded"/>: whose quota refused the request.</summary>
    public Quotas.QuotaScope? QuotaScope { get; init; }

    /// <summary>For <see cref="LlmFailureKind.QuotaExceeded"/>: which of its limits.</summary>
    public Quotas.QuotaLimit? QuotaLimit { get; init; }

    /// <summary>Whether a retry may succeed: rate limits, 5xx, connection failures and timeouts.</summary>
    public bool IsTransient => Kind is LlmFailureKind.RateLimited or LlmFailureKind.ProviderUnavailable or LlmFailureKind.Timeout;
}
