namespace Cordial.Llm.Providers;

/// <summary>
/// Applies a <see cref="RequestCustomization"/> (query, body, headers) at the HTTP level, for the Anthropic SDK,
/// whose client exposes handlers rather than pipeline policies.
/// </summary>
internal sealed class ProviderRequestHandler : DelegatingHandler
{
    private readonly RequestCustomization _customization;

    public ProviderRequestHandler(RequestCustomization customization, HttpMessageHandler innerHandler)
        : base(innerHandler)
    {
        _customization = customization;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        foreach (var (name, value) in _customization.Headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (request.RequestUri is { } uri)
        {
            request.RequestUri = _customization.ApplyQuery(uri);
        }

        if (_customization.ChangesBody && request.Content is { } content &&
            content.Headers.ContentType?.MediaType is "application/json")
        {
            var json = await content.ReadAsByteArrayAsync(cancellationToken);
            var merged = new ByteArrayContent(_customization.ApplyBody(json));
            foreach (var header in content.Headers)
            {
                merged.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            merged.Headers.ContentLength = null;
            request.Content = merged;
            content.Dispose();
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
