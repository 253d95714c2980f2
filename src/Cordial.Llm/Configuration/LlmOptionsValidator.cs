using System.Globalization;
using Microsoft.Extensions.Options;

namespace Cordial.Llm.Configuration;

/// <summary>
/// Checks <see cref="LlmOptions"/> and reports every problem at once, each prefixed with the setting's full path
/// (e.g. <c>Llm:Models:fast:Provider: unknown provider 'opnai' (known: openai, local)</c>).
/// </summary>
/// <remarks>Thread-safe; environment variables are read through the injected lookup.</remarks>
public sealed class LlmOptionsValidator : IValidateOptions<LlmOptions>
{
    private static readonly string[] ReasoningEfforts = ["none", "minimal", "low", "medium", "high"];

    private readonly EnvironmentVariableLookup _environment;

    public LlmOptionsValidator(EnvironmentVariableLookup? environment = null)
    {
        _environment = environment ?? Environment.GetEnvironmentVariable;
    }

    public ValidateOptionsResult Validate(string? name, LlmOptions options)
    {
        var errors = Validate(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Every problem found, in a stable order; empty when the options are valid.</summary>
    public IReadOnlyList<string> Validate(LlmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        const string root = LlmOptions.SectionName;

        if (options.Providers is null || options.Providers.Count == 0)
        {
            errors.Add($"{root}:Providers: at least one provider is required");
        }
        else
        {
            foreach (var (name, provider) in options.Providers)
            {
                ValidateProvider($"{root}:Providers:{name}", provider, errors);
            }
        }

        var models = options.Models ?? [];
        if (models.Count == 0)
        {
            errors.Add($"{root}:Models: at least one model is required");
        }

        var knownProviders = options.Providers is null ? "" : string.Join(", ", options.Providers.Keys);
        var knownModels = string.Join(", ", models.Keys);
        foreach (var (name, model) in models)
        {
            ValidateModel($"{root}:Models:{name}", name, model, options.Providers, knownProviders, models, knownModels, errors);
        }

        foreach (var clash in models.Keys.GroupBy(k => k, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            errors.Add($"{root}:Models: the names {string.Join(", ", clash.Select(n => $"'{n}'"))} differ only in case");
        }

        foreach (var clash in (options.Providers?.Keys ?? Enumerable.Empty<string>()).GroupBy(k => k, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            errors.Add($"{root}:Providers: the names {string.Join(", ", clash.Select(n => $"'{n}'"))} differ only in case");
        }

        FindFallbackCycles(models, errors);

        if (string.IsNullOrWhiteSpace(options.DefaultModel))
        {
            if (models.Count > 1)
            {
                errors.Add($"{root}:DefaultModel: required when more than one model is configured (known: {knownModels})");
            }
        }
        else if (!models.ContainsKey(options.DefaultModel))
        {
            errors.Add($"{root}:DefaultModel: unknown model '{options.DefaultModel}' (known: {knownModels})");
        }

        ValidateOverrides($"{root}:GuildModels", "guild", options.GuildModels, models, knownModels, errors);
        ValidateOverrides($"{root}:ChannelModels", "channel", options.ChannelModels, models, knownModels, errors);
        return errors;
    }

    private void ValidateProvider(string path, ProviderOptions? provider, List<string> errors)
    {
        if (provider is null)
        {
            errors.Add($"{path}: the provider has no settings");
            return;
        }

        var kindKnown = ProviderKinds.All.Contains(provider.Kind ?? "", StringComparer.OrdinalIgnoreCase);
        if (!kindKnown)
        {
            errors.Add($"{path}:Kind: unknown kind '{provider.Kind}' (known: {string.Join(", ", ProviderKinds.All)})");
        }

        if (provider.BaseUrl is not null &&
            (!Uri.TryCreate(provider.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add($"{path}:BaseUrl: '{provider.BaseUrl}' is not an absolute http(s) URL");
        }

        if (string.IsNullOrWhiteSpace(provider.ApiKeyEnvironmentVariable))
        {
            if (provider.BaseUrl is null && kindKnown)
            {
                errors.Add($"{path}:ApiKeyEnvironmentVariable: required when BaseUrl is not set ({ProviderKinds.DefaultBaseUrl(provider.Kind!)} needs a key)");
            }
        }
        else if (string.IsNullOrEmpty(_environment(provider.ApiKeyEnvironmentVariable)))
        {
            errors.Add($"{path}:ApiKeyEnvironmentVariable: environment variable {provider.ApiKeyEnvironmentVariable} is not set");
        }

        foreach (var (header, value) in provider.Headers ?? [])
        {
            if (header.Length == 0 || !header.All(IsTokenChar))
            {
                errors.Add($"{path}:Headers:{header}: '{header}' is not a valid HTTP header name");
            }
            else if (value is null || value.Contains('\r', StringComparison.Ordinal) || value.Contains('\n', StringComparison.Ordinal))
            {
                errors.Add($"{path}:Headers:{header}: the value must be one line of text");
            }
        }

        foreach (var (key, value) in provider.Query ?? [])
        {
            if (value is null)
            {
                errors.Add($"{path}:Query:{key}: a value is required");
            }
        }

        if (provider.MaxTokensField is not ("max_completion_tokens" or "max_tokens"))
        {
            errors.Add($"{path}:MaxTokensField: '{provider.MaxTokensField}' is not supported (known: max_completion_tokens, max_tokens)");
        }
    }

    private static void ValidateModel(
        string path, string name, ModelOptions? model, Dictionary<string, ProviderOptions>? providers, string knownProviders,
        Dictionary<string, ModelOptions> models, string knownModels, List<string> errors)
    {
        if (model is null)
        {
            errors.Add($"{path}: the model has no settings");
            return;
        }

        if (string.IsNullOrWhiteSpace(model.Provider))
        {
            errors.Add($"{path}:Provider: required (known: {knownProviders})");
        }
        else if (providers is null || !providers.ContainsKey(model.Provider))
        {
            errors.Add($"{path}:Provider: unknown provider '{model.Provider}' (known: {knownProviders})");
        }

        if (model.ModelId is not null && string.IsNullOrWhiteSpace(model.ModelId))
        {
            errors.Add($"{path}:ModelId: must not be blank (leave it out to use the model name '{name}')");
        }

        if (model.Temperature is { } t && (double.IsNaN(t) || t < 0 || t > 2))
        {
            errors.Add($"{path}:Temperature: {t.ToString(CultureInfo.InvariantCulture)} is outside 0..2");
        }
        else if (model.Temperature is not null && providers is not null && model.Provider is not null &&
                 providers.TryGetValue(model.Provider, out var provider) &&
                 string.Equals(provider?.Kind, ProviderKinds.Anthropic, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{path}:Temperature: not supported by anthropic providers (the current Messages API has no sampling parameters)");
        }

        if (model.MaxOutputTokens is <= 0)
        {
            errors.Add($"{path}:MaxOutputTokens: must be positive (got {model.MaxOutputTokens})");
        }

        if (model.ContextWindowTokens is <= 0)
        {
            errors.Add($"{path}:ContextWindowTokens: must be positive (got {model.ContextWindowTokens})");
        }

        if (model.ReasoningEffort is not null && !ReasoningEfforts.Contains(model.ReasoningEffort, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"{path}:ReasoningEffort: unknown effort '{model.ReasoningEffort}' (known: {string.Join(", ", ReasoningEfforts)})");
        }

        var fallbacks = model.Fallbacks ?? [];
        for (var i = 0; i < fallbacks.Length; i++)
        {
            var fallback = fallbacks[i];
            if (string.IsNullOrWhiteSpace(fallback) || !models.ContainsKey(fallback))
            {
                errors.Add($"{path}:Fallbacks:{i}: unknown model '{fallback}' (known: {knownModels})");
            }
            else if (string.Equals(fallback, name, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{path}:Fallbacks:{i}: a model cannot fall back to itself");
            }
        }
    }

    private static void FindFallbackCycles(Dictionary<string, ModelOptions> models, List<string> errors)
    {
        // Depth-first search over the fallback graph; each cycle is reported once, at its first model in configuration order.
        var state = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase); // 1 = on the stack, 2 = done
        var reported = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var stack = new List<string>();

        void Visit(string name)
        {
            state[name] = 1;
            stack.Add(name);
            foreach (var next in models[name]?.Fallbacks ?? [])
            {
                if (string.IsNullOrWhiteSpace(next) || !models.ContainsKey(next) || string.Equals(next, name, StringComparison.OrdinalIgnoreCase))
                {
                    continue; // reported elsewhere
                }

                var key = models.Keys.First(k => string.Equals(k, next, StringComparison.OrdinalIgnoreCase));
                if (state.GetValueOrDefault(key) == 1)
                {
                    var start = stack.FindIndex(s => string.Equals(s, key, StringComparison.OrdinalIgnoreCase));
                    var cycle = stack.Skip(start).ToList();
                    var canonical = string.Join(">", cycle.Order(StringComparer.OrdinalIgnoreCase));
                    if (reported.Add(canonical))
                    {
                        errors.Add($"{LlmOptions.SectionName}:Models:{cycle[0]}:Fallbacks: fallback cycle {string.Join(" -> ", cycle)} -> {cycle[0]}");
                    }
                }
                else if (state.GetValueOrDefault(key) == 0)
                {
                    Visit(key);
                }
            }

            stack.RemoveAt(stack.Count - 1);
            state[name] = 2;
        }

        foreach (var name in models.Keys)
        {
            if (state.GetValueOrDefault(name) == 0)
            {
                Visit(name);
            }
        }
    }

    private static void ValidateOverrides(
        string path, string what, Dictionary<string, string>? overrides, Dictionary<string, ModelOptions> models, string knownModels, List<string> errors)
    {
        foreach (var (id, model) in overrides ?? [])
        {
            if (!ulong.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                errors.Add($"{path}:{id}: '{id}' is not a numeric {what} id");
            }

            if (string.IsNullOrWhiteSpace(model) || !models.ContainsKey(model))
            {
                errors.Add($"{path}:{id}: unknown model '{model}' (known: {knownModels})");
            }
        }
    }

    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
}
