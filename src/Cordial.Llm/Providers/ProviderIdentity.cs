namespace Cordial.Llm.Providers;

/// <summary>Who a provider client speaks for: the configured model and provider names, for errors and responses.</summary>
internal sealed record ProviderIdentity(string ModelName, string ProviderName, string ProviderModelId);
