using Microsoft.Extensions.AI;

namespace Cordial.Llm.Pipeline;

/// <summary>
/// What the pipeline needs to know about the configured models, as four functions: the seam between the pipeline
/// and <see cref="Providers.ModelCatalog"/> (tests build it from fakes).
/// </summary>
/// <param name="ResolveModel">Request model name (null = default) → configured model name; throws <see cref="LlmProviderException"/> (ModelNotFound) for an unknown name.</param>
/// <param name="ProviderOf">Configured model name → configured provider name.</param>
/// <param name="FallbacksOf">Configured model name → its ordered fallback model names.</param>
/// <param name="ClientOf">Configured model name → (raw provider client, model id to send that provider).</param>
internal sealed record ModelRouting(
    Func<string?, string> ResolveModel,
    Func<string, string> ProviderOf,
    Func<string, IReadOnlyList<string>> FallbacksOf,
    Func<string, (IChatClient Client, string? ProviderModelId)> ClientOf)
{
    /// <summary>The routing for a <see cref="Providers.ModelCatalog"/>.</summary>
    public static ModelRouting FromCatalog(Providers.ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ModelRouting(
            model =>
            {
                if (model is null)
                {
                    return catalog.DefaultModel;
                }

                return catalog.TryGetModelName(model, out var configured)
                    ? configured
                    : throw new LlmProviderException(LlmFailureKind.ModelNotFound, $"Model '{model}' is not configured.") { Model = model };
            },
            model => catalog.GetModel(model).Provider,
            model => catalog.GetModel(model).Fallbacks,
            model => (catalog.GetProviderClient(model), catalog.GetModel(model).ModelId));
    }
}
