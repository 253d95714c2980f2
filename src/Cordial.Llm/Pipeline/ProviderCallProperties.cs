namespace Cordial.Llm.Pipeline;

/// <summary>Request properties (<c>ChatOptions.AdditionalProperties</c> keys) that the pipeline's innermost stage acts on.</summary>
public static class ProviderCallProperties
{
    /// <summary>
    /// An <see cref="Action"/> the model router invokes just before each provider call is started (for streaming: right
    /// before the provider's stream is first read, which sends the HTTP request), so a caller can measure its own
    /// overhead up to the provider hand-off. Removed before the provider sees the options, and left out of the response
    /// cache and coalescing keys. The callback must be cheap, thread-safe and must not throw; it may be invoked more
    /// than once (retries, fallbacks, tool rounds) or never (cache hits, coalesced waiters).
    /// </summary>
    public const string RequestStarted = "cordial.request_started";
}
