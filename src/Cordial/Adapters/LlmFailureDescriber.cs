using System.Globalization;
using Cordial.Bot.Delivery;
using Cordial.Llm;
using Cordial.Llm.Quotas;

namespace Cordial.Adapters;

/// <summary>
/// Says why an answer failed in words a Discord user understands, from the LLM side's failure kind. Never shows
/// provider bodies, prompts or keys. Exceptions that are not provider failures get the default sentences.
/// </summary>
internal sealed class LlmFailureDescriber(TimeProvider? timeProvider = null) : IGenerationFailureDescriber
{
    private static readonly GenerationFailureDescriber Fallback = new();
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Find(exception) switch
        {
            { Kind: LlmFailureKind.RateLimited } => "The answer was interrupted: the model provider is rate-limiting us. Please try again in a moment.",
            { Kind: LlmFailureKind.ProviderUnavailable } => "The answer was interrupted: the model provider is unavailable right now. Please try again later.",
            { Kind: LlmFailureKind.Timeout } => "The answer was interrupted: the model took too long to respond.",
            { Kind: LlmFailureKind.ModelNotFound } => "The answer failed: the configured model does not exist at the provider (an admin can pick another with /model).",
            { Kind: LlmFailureKind.ContextTooLong } => "The answer failed: this conversation is too long for the model. Start a new one (or use /reset).",
            { Kind: LlmFailureKind.Unauthorized } => "The answer failed: the bot's key for the model provider was refused (an admin needs to check it).",
            { Kind: LlmFailureKind.CircuitOpen } => "The model provider has been failing, so the bot is pausing requests to it. Please try again shortly.",
            { Kind: LlmFailureKind.QuotaExceeded } quota => DescribeQuota(quota),
            { Kind: LlmFailureKind.BadRequest } => "The answer failed: the model provider rejected the request.",
            { } => "The answer was interrupted: the model provider returned an error.",
            null => Fallback.Describe(exception),
        };
    }

    /// <summary>One line: whose limit, which one, and when asking again works (a Discord relative timestamp).</summary>
    private string DescribeQuota(LlmProviderException quota)
    {
        var period = quota.QuotaLimit is QuotaLimit.RequestsPerDay or QuotaLimit.TokensPerDay ? "daily" : "per-minute";
        var what = quota.QuotaLimit is QuotaLimit.TokensPerMinute or QuotaLimit.TokensPerDay ? "token" : "request";
        var whose = quota.QuotaScope switch
        {
            QuotaScope.User => $"You have reached your {period} {what} limit",
            QuotaScope.Guild => $"This server has reached its {period} {what} limit",
            _ => $"The bot has reached its {period} {what} limit with the model provider",
        };

        if (quota.RetryAfter is not { } wait || wait < TimeSpan.Zero)
        {
            return whose + ". Please try again later.";
        }

        // Rounded up to the next whole second: asking at the shown time always works.
        var at = _time.GetUtcNow().Add(wait).ToUnixTimeMilliseconds();
        var seconds = (at + 999) / 1000;
        return string.Create(CultureInfo.InvariantCulture, $"{whose}. You can ask again <t:{seconds}:R>.");
    }

    private static LlmProviderException? Find(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case LlmProviderException provider:
                    return provider;
                case AggregateException aggregate:
                    foreach (var inner in aggregate.InnerExceptions)
                    {
                        if (Find(inner) is { } found)
                        {
                            return found;
                        }
                    }

                    break;
            }
        }

        return null;
    }
}
