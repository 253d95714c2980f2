namespace Cordial.Llm;

/// <summary>Why a model call failed, in terms a user and the resilience pipeline both understand.</summary>
public enum LlmFailureKind
{
    /// <summary>Something unexpected; not retried.</summary>
    Unknown = 0,

    /// <summary>HTTP 429 from the provider; retried before output, honouring Retry-After.</summary>
    RateLimited,

    /// <summary>HTTP 5xx, a dropped connection or a malformed stream; retried before output.</summary>
    ProviderUnavailable,

    /// <summary>No first token (or no end of stream) within the configured time.</summary>
    Timeout,

    /// <summary>The configured model id does not exist at the provider (HTTP 404).</summary>
    ModelNotFound,

    /// <summary>The prompt exceeds the model's context window.</summary>
    ContextTooLong,

    /// <summary>HTTP 401/403: the API key is missing, wrong or lacks access.</summary>
    Unauthorized,

    /// <summary>HTTP 400 other than context length: the request was rejected.</summary>
    BadRequest,

    /// <summary>The provider's circuit breaker is open; the call was not attempted.</summary>
    CircuitOpen,

    /// <summary>A quota (user, guild or provider: <see cref="LlmProviderException.QuotaScope"/>) is used up; not retried, <see cref="LlmProviderException.RetryAfter"/> says when it is not.</summary>
    QuotaExceeded,
}
