using System.Globalization;
using System.Net.Http.Headers;

namespace Cordial.Discord.Rest.RateLimits;

/// <summary>What one response said about rate limits (X-RateLimit-* and Retry-After headers).</summary>
internal readonly record struct RateLimitHeaders(
    string? Bucket,
    int? Limit,
    int? Remaining,
    TimeSpan? ResetAfter,
    bool Global,
    string? Scope,
    TimeSpan? RetryAfter)
{
    /// <summary>True when limit, remaining and reset-after are all present: the bucket's state is known.</summary>
    public bool HasBucketState => Limit is not null && Remaining is not null && ResetAfter is not null;

    /// <summary>429s with scope "shared" are the resource's limit, not ours: Discord does not count them as invalid.</summary>
    public bool IsSharedScope => string.Equals(Scope, "shared", StringComparison.OrdinalIgnoreCase);

    public static RateLimitHeaders Parse(HttpResponseHeaders headers)
    {
        var bucket = Single(headers, "X-RateLimit-Bucket");
        var limit = ParseInt(Single(headers, "X-RateLimit-Limit"));
        var remaining = ParseInt(Single(headers, "X-RateLimit-Remaining"));
        var resetAfter = ParseSeconds(Single(headers, "X-RateLimit-Reset-After"));
        var global = string.Equals(Single(headers, "X-RateLimit-Global"), "true", StringComparison.OrdinalIgnoreCase);
        var scope = Single(headers, "X-RateLimit-Scope");
        var retryAfter = ParseSeconds(Single(headers, "Retry-After"));
        return new RateLimitHeaders(string.IsNullOrWhiteSpace(bucket) ? null : bucket, limit, remaining, resetAfter, global, scope, retryAfter);
    }

    private static string? Single(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static int? ParseInt(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value : null;

    internal static TimeSpan? ParseSeconds(string? text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            || double.IsNaN(seconds) || seconds < 0)
        {
            return null;
        }

        // A day is far beyond anything Discord sends; clamp so a hostile header cannot park us forever.
        return TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.FromDays(1).TotalSeconds));
    }
}
