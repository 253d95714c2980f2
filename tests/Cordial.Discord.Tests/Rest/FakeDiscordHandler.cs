using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Cordial.Discord.Tests.Rest;

/// <summary>An HttpMessageHandler whose answers the test scripts; records every request with its body.</summary>
internal sealed class FakeDiscordHandler : HttpMessageHandler
{
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Produces the response to a request; defaults to 200 with "{}".</summary>
    public Func<RecordedRequest, Task<HttpResponseMessage>> Respond { get; set; } = _ => Task.FromResult(Json(HttpStatusCode.OK, "{}"));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var recorded = new RecordedRequest(
            request.Method.Method,
            request.RequestUri!,
            request.Headers.Authorization?.ToString(),
            request.Headers.UserAgent.ToString(),
            request.Content?.Headers.ContentType?.ToString(),
            body);
        Requests.Enqueue(recorded);
        return await Respond(recorded);
    }

    public static HttpResponseMessage Json(HttpStatusCode status, string json, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    public static (string, string)[] Bucket(string hash, int limit, int remaining, double resetAfterSeconds) =>
    [
        ("X-RateLimit-Bucket", hash),
        ("X-RateLimit-Limit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("X-RateLimit-Remaining", remaining.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("X-RateLimit-Reset-After", resetAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];
}
