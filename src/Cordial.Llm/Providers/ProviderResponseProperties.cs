namespace Cordial.Llm.Providers;

/// <summary>
/// Keys the provider clients put in <c>AdditionalProperties</c> of a <c>ChatResponse</c> / <c>ChatResponseUpdate</c>.
/// </summary>
public static class ProviderResponseProperties
{
    /// <summary>
    /// Set (an <see cref="int"/>, the number of images removed) on the response and on the first streamed update when the
    /// request carried images but the model is not configured with <c>Vision = true</c>. The bot tells the user.
    /// </summary>
    public const string ImagesDropped = "cordial.images_dropped";

    /// <summary>The model id the provider reported (a <see cref="string"/>), on the response and the final streamed update.
    /// <c>ModelId</c> itself always carries the configured model name.</summary>
    public const string ProviderModelId = "cordial.provider_model_id";
}
