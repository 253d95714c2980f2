namespace Cordial.Llm.Providers;

/// <summary>
/// Thrown by <see cref="ProviderErrorResponseHandler"/> when a provider answers with an error status, before the SDK
/// sees the response, so the status, the wait hint and the error wording survive whatever the SDK wraps it in.
/// </summary>
internal sealed class ProviderHttpErrorException : Exception
{
    public ProviderHttpErrorException(int statusCode, TimeSpan? retryAfter, string? providerMessage, string? body)
        : base($"The provider answered HTTP {statusCode}.")
    {
        StatusCode = statusCode;
        RetryAfter = retryAfter;
        ProviderMessage = providerMessage;
        Body = body;
    }

    public int StatusCode { get; }

    public TimeSpan? RetryAfter { get; }

    /// <summary>The error's own message (<c>error.message</c>), shortened; never request content.</summary>
    public string? ProviderMessage { get; }

    /// <summary>The start of the error body, for classification only.</summary>
    public string? Body { get; }
}
