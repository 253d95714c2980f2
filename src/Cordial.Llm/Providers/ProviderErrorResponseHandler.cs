using System.Text.Json;
using System.Text.RegularExpressions;

namespace Cordial.Llm.Providers;

/// <summary>
/// The innermost handler of every provider's <see cref="HttpClient"/>: turns an error status into
/// <see cref="ProviderHttpErrorException"/> carrying the status, <c>retry-after-ms</c>/<c>Retry-After</c> and the
/// error wording. SDK-independent, so both SDKs' failures translate the same way.
/// </summary>
internal sealed partial class ProviderErrorResponseHandler : DelegatingHandler
{
    private const int MaxBodyChars = 16 * 1024;
    private const int MaxMessageChars = 300;

    private readonly TimeProvider _timeProvider;

    public ProviderErrorResponseHandler(TimeProvider timeProvider, HttpMessageHandler innerHandler)
        : base(innerHandler)
    {
        _timeProvider = timeProvider;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var retryAfter = RetryAfterParser.Parse(
                FirstHeader(response, "retry-after-ms"),
                FirstHeader(response, "Retry-After"),
                _timeProvider);
            var body = await ReadBodyAsync(response, cancellationToken);
            throw new ProviderHttpErrorException((int)response.StatusCode, retryAfter, ExtractMessage(body), body);
        }
    }

    private static string? FirstHeader(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static async Task<string?> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var reader = new StreamReader(stream);
            var buffer = new char[MaxBodyChars];
            var read = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken);
            return new string(buffer, 0, read);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return null; // the status alone still classifies the failure
        }
    }

    /// <summary>The <c>error.message</c> (OpenAI and Anthropic shape) or a top-level <c>message</c>/<c>error</c> string.</summary>
    internal static string? ExtractMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            string? message = null;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("error", out var error))
                {
                    if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                    {
                        message = m.GetString();
                    }
                    else if (error.ValueKind == JsonValueKind.String)
                    {
                        message = error.GetString();
                    }
                }
                else if (root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                {
                    message = m.GetString();
                }
            }

            if (message is null)
            {
                return null;
            }

            message = KeyLike().Replace(message, "[redacted]");
            return message.Length <= MaxMessageChars ? message : message[..MaxMessageChars] + "…";
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Anything that may be (part of) a key: providers echo masked keys in 401 messages.</summary>
    [GeneratedRegex(@"(sk-|key-|Bearer\s+)\S+|[A-Za-z0-9_\-*]{32,}")]
    private static partial Regex KeyLike();
}
