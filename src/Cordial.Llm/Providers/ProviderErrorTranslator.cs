using System.Net.Sockets;
using System.Text.Json;
using Anthropic.Exceptions;

namespace Cordial.Llm.Providers;

/// <summary>Turns whatever an SDK (or the socket under it) threw into the one exception adapters may throw.</summary>
internal static class ProviderErrorTranslator
{
    /// <summary>
    /// The <see cref="LlmProviderException"/> for <paramref name="exception"/>, or <see langword="null"/> when the
    /// exception must propagate unchanged (the caller cancelled).
    /// </summary>
    public static LlmProviderException? Translate(Exception exception, ProviderIdentity identity, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        if (exception is LlmProviderException known)
        {
            return known.Provider is null
                ? Create(known.Kind, known.Message, identity, known, known.StatusCode, known.RetryAfter)
                : known;
        }

        if (Find<ProviderHttpErrorException>(exception) is { } http)
        {
            var kind = ProviderFailureClassifier.FromStatus(http.StatusCode, http.Body);
            var detail = http.ProviderMessage is null ? "" : $": {http.ProviderMessage}";
            return Create(kind, $"{Describe(identity)} failed with HTTP {http.StatusCode} ({kind}){detail}", identity, exception, http.StatusCode, http.RetryAfter);
        }

        switch (exception)
        {
            case AnthropicApiException api:
            {
                var status = (int)api.StatusCode;
                var kind = ProviderFailureClassifier.FromStatus(status, api.ResponseBody);
                return Create(kind, $"{Describe(identity)} failed with HTTP {status} ({kind})", identity, exception, status, null);
            }

            case OperationCanceledException:
                return Create(LlmFailureKind.Timeout, $"{Describe(identity)} timed out", identity, exception, null, null);
        }

        if (Find<HttpRequestException>(exception) is not null || Find<IOException>(exception) is not null || Find<SocketException>(exception) is not null)
        {
            return Create(LlmFailureKind.ProviderUnavailable, $"{Describe(identity)}: the connection failed or the stream was cut", identity, exception, null, null);
        }

        if (Find<JsonException>(exception) is not null || Find<AnthropicSseException>(exception) is not null ||
            Find<AnthropicInvalidDataException>(exception) is not null || Find<FormatException>(exception) is not null ||
            exception is AnthropicIOException)
        {
            return Create(LlmFailureKind.ProviderUnavailable, $"{Describe(identity)}: the response was malformed", identity, exception, null, null);
        }

        return Create(LlmFailureKind.Unknown, $"{Describe(identity)} failed: {exception.GetType().Name}", identity, exception, null, null);
    }

    /// <summary>The failure for a response whose shape broke the protocol (found while reading it).</summary>
    public static LlmProviderException Malformed(Exception exception, ProviderIdentity identity) =>
        Create(LlmFailureKind.ProviderUnavailable, $"{Describe(identity)}: the response was malformed ({exception.GetType().Name})", identity, exception, null, null);

    /// <summary>The failure for a stream that ended without the model saying it had finished.</summary>
    public static LlmProviderException Truncated(ProviderIdentity identity) =>
        Create(LlmFailureKind.ProviderUnavailable, $"{Describe(identity)}: the stream ended before the model finished", identity, null, null, null);

    private static LlmProviderException Create(
        LlmFailureKind kind, string message, ProviderIdentity identity, Exception? inner, int? status, TimeSpan? retryAfter) =>
        new(kind, message, inner)
        {
            StatusCode = status,
            RetryAfter = retryAfter,
            Provider = identity.ProviderName,
            Model = identity.ModelName,
        };

    private static string Describe(ProviderIdentity identity) =>
        $"Model '{identity.ModelName}' (provider '{identity.ProviderName}', id '{identity.ProviderModelId}')";

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }

            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (Find<T>(inner) is { } nested)
                    {
                        return nested;
                    }
                }
            }
        }

        return null;
    }
}
