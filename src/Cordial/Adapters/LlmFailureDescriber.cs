using Cordial.Bot.Delivery;
using Cordial.Llm;

namespace Cordial.Adapters;

/// <summary>
/// Says why an answer failed in words a Discord user understands, from the LLM side's failure kind. Never shows
/// provider bodies, prompts or keys. Exceptions that are not provider failures get the default sentences.
/// </summary>
internal sealed class LlmFailureDescriber : IGenerationFailureDescriber
{
    private static readonly GenerationFailureDescriber Fallback = new();

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
            { Kind: LlmFailureKind.BadRequest } => "The answer failed: the model provider rejected the request.",
            { } => "The answer was interrupted: the model provider returned an error.",
            null => Fallback.Describe(exception),
        };
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
