namespace Cordial.Llm.Configuration;

/// <summary>
/// The LLM side of the configuration, bound from the section <c>"Llm"</c> (see docs/LLM-PROVIDERS.md).
/// Validated by <see cref="LlmOptionsValidator"/>; a <see cref="Providers.ModelCatalog"/> is built from a validated copy.
/// </summary>
public sealed class LlmOptions
{
    /// <summary>The configuration section this binds from.</summary>
    public const string SectionName = "Llm";

    /// <summary>Provider name → provider (endpoint, key, extra headers/query/body).</summary>
    /// <value>Empty by default; at least one is required. Names compare case-insensitively.</value>
    public Dictionary<string, ProviderOptions> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Model name (what users see in /model) → model.</summary>
    /// <value>Empty by default; at least one is required. Names compare case-insensitively.</value>
    public Dictionary<string, ModelOptions> Models { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The model used when no guild or channel override applies.</summary>
    /// <value><see langword="null"/> by default: allowed only when exactly one model is configured (that one is the default).</value>
    public string? DefaultModel { get; set; }

    /// <summary>Guild id (numeric snowflake) → model name.</summary>
    public Dictionary<string, string> GuildModels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Channel id (numeric snowflake) → model name. Wins over <see cref="GuildModels"/>.</summary>
    public Dictionary<string, string> ChannelModels { get; set; } = new(StringComparer.Ordinal);
}
