namespace Cordial.Llm.Configuration;

/// <summary>One model users can pick: <c>Llm:Models:&lt;name&gt;</c>.</summary>
/// <remarks>Instances handed out by <see cref="Providers.ModelCatalog"/> belong to its immutable snapshot: do not modify them.</remarks>
public sealed class ModelOptions
{
    /// <summary>The name of the provider (a key of <see cref="LlmOptions.Providers"/>). Required.</summary>
    public string Provider { get; set; } = "";

    /// <summary>The model id sent to the provider (e.g. <c>gpt-4.1-mini</c>, <c>llama3.2</c>).</summary>
    /// <value><see langword="null"/>: the model's configured name.</value>
    public string? ModelId { get; set; }

    /// <summary>Sampling temperature, 0 to 2. A request's own temperature wins.</summary>
    /// <value><see langword="null"/>: the provider's default.</value>
    public double? Temperature { get; set; }

    /// <summary>Upper bound on generated tokens. A request's own limit wins.</summary>
    /// <value><see langword="null"/>: the provider's default (Anthropic requires one: 4096 is sent).</value>
    public int? MaxOutputTokens { get; set; }

    /// <summary>Reasoning effort for reasoning models: <c>none</c>, <c>minimal</c>, <c>low</c>, <c>medium</c> or <c>high</c>.
    /// For Anthropic it switches extended thinking on with a budget matching the level.</summary>
    /// <value><see langword="null"/>: not sent.</value>
    public string? ReasoningEffort { get; set; }

    /// <summary>Whether the model accepts images. Images sent to a model without vision are dropped, and the response says so.</summary>
    /// <value><see langword="false"/>.</value>
    public bool Vision { get; set; }

    /// <summary>The model's context window in tokens, for prompt budgeting.</summary>
    /// <value><see langword="null"/>: unknown (the bot uses its own default budget).</value>
    public int? ContextWindowTokens { get; set; }

    /// <summary>Extra top-level request fields for this model (same JSON rules as <see cref="ProviderOptions.Body"/>;
    /// these win over the provider's).</summary>
    public Dictionary<string, string> Parameters { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Model names tried, in order, when this one fails before any output. Cycles are a configuration error.</summary>
    /// <value>Empty.</value>
    public string[] Fallbacks { get; set; } = [];

    internal ModelOptions Clone() => new()
    {
        Provider = Provider,
        ModelId = ModelId,
        Temperature = Temperature,
        MaxOutputTokens = MaxOutputTokens,
        ReasoningEffort = ReasoningEffort,
        Vision = Vision,
        ContextWindowTokens = ContextWindowTokens,
        Parameters = new(Parameters, StringComparer.Ordinal),
        Fallbacks = [.. Fallbacks],
    };
}
