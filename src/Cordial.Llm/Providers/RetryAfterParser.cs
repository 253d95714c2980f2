using System.Globalization;

namespace Cordial.Llm.Providers;

/// <summary>Reads a provider's wait hint from <c>retry-after-ms</c> (milliseconds) or <c>Retry-After</c> (seconds or an HTTP date).</summary>
internal static class RetryAfterParser
{
    private static readonly TimeSpan Longest = TimeSpan.FromHours(1);

    public static TimeSpan? Parse(string? retryAfterMs, string? retryAfter, TimeProvider timeProvider)
    {
        if (double.TryParse(retryAfterMs, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && double.IsFinite(ms) && ms >= 0)
        {
            return Clamp(TimeSpan.FromMilliseconds(ms));
        }

        if (string.IsNullOrWhiteSpace(retryAfter))
        {
            return null;
        }

        if (double.TryParse(retryAfter, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds) && seconds >= 0)
        {
            return Clamp(TimeSpan.FromSeconds(seconds));
        }

        if (DateTimeOffset.TryParseExact(retryAfter.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            var wait = at - timeProvider.GetUtcNow();
            return Clamp(wait < TimeSpan.Zero ? TimeSpan.Zero : wait);
        }

        return null;
    }

    private static TimeSpan Clamp(TimeSpan value) => value > Longest ? Longest : value;
}
