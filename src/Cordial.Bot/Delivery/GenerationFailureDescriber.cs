namespace Cordial.Bot.Delivery;

/// <summary>The default <see cref="IGenerationFailureDescriber"/>: generic sentences by exception type.</summary>
public sealed class GenerationFailureDescriber : IGenerationFailureDescriber
{
    /// <inheritdoc />
    public string Describe(Exception exception) => exception switch
    {
        TimeoutException or OperationCanceledException => "The answer was interrupted: the model took too long to respond.",
        HttpRequestException or IOException => "The answer was interrupted: the model provider could not be reached.",
        _ => "The answer was interrupted: the model provider returned an error.",
    };
}
