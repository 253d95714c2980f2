using Cordial.Llm.Configuration;
using Microsoft.Extensions.Options;

namespace Cordial.Llm.Quotas;

/// <summary>
/// Refuses <c>Llm:Quotas:Providers</c> entries that name no provider configured under <c>Llm:Providers</c> (a typo
/// would otherwise silently leave that provider unlimited).
/// </summary>
internal sealed class QuotaProviderNamesValidator(IOptions<LlmOptions> llm) : IValidateOptions<QuotaOptions>
{
    public ValidateOptionsResult Validate(string? name, QuotaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Providers is not { Count: > 0 })
        {
            return ValidateOptionsResult.Success; // nothing to check: the provider settings are not even read
        }

        var configured = llm.Value.Providers;
        var errors = options.Providers
            .Keys
            .Where(provider => !string.IsNullOrWhiteSpace(provider) && !configured.ContainsKey(provider))
            .Select(provider => $"{QuotaOptions.SectionName}:{nameof(QuotaOptions.Providers)}:{provider} names no provider configured under {LlmOptions.SectionName}:Providers.")
            .ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
