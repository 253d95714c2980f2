using System.Globalization;

namespace Cordial.Llm.Providers;

/// <summary>One short, user-facing line per failure, safe to post in Discord (no internals, no secrets).</summary>
public static class LlmErrorMessages
{
    /// <summary>The line for <paramref name="exception"/>.</summary>
    public static string Format(LlmProviderException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Format(exception.Kind, exception.Model, exception.RetryAfter);
    }

    /// <summary>The line for a failure of <paramref name="kind"/> on <paramref name="model"/>.</summary>
    public static string Format(LlmFailureKind kind, string? model = null, TimeSpan? retryAfter = null) => kind switch
    {
        LlmFailureKind.RateLimited when retryAfter is { } wait && wait > TimeSpan.Zero =>
            $"The model is rate limited; try again in {Describe(wait)}.",
        LlmFailureKind.RateLimited => "The model is rate limited; try again in a moment.",
        LlmFailureKind.ProviderUnavailable => "The model provider is unavailable right now.",
        LlmFailureKind.Timeout => "The model took too long to answer.",
        LlmFailureKind.ModelNotFound when model is not null => $"Model '{model}' was not found at its provider.",
        LlmFailureKind.ModelNotFound => "The model was not found at its provider.",
        LlmFailureKind.ContextTooLong => "The conversation is too long for this model.",
        LlmFailureKind.Unauthorized => "The bot's API key was refused by the model provider.",
        LlmFailureKind.BadRequest => "The model provider rejected the request.",
        LlmFailureKind.CircuitOpen => "The model provider is failing; the bot is giving it a short break.",
        LlmFailureKind.QuotaExceeded when retryAfter is { } wait && wait > TimeSpan.Zero => $"A usage quota is used up; try again in {Describe(wait)}.",
        LlmFailureKind.QuotaExceeded => "A usage quota is used up; try again later.",
        _ => "Something went wrong while asking the model.",
    };

    private static string Describe(TimeSpan wait)
    {
        if (wait < TimeSpan.FromMinutes(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))} s");
        }

        return wait < TimeSpan.FromHours(1)
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)Math.Ceiling(wait.TotalMinutes)} min")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)Math.Ceiling(wait.TotalHours)} h");
    }
}
