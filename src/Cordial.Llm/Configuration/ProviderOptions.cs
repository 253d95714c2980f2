namespace Cordial.Llm.Configuration;

/// <summary>One LLM endpoint: <c>Llm:Providers:&lt;name&gt;</c>.</summary>
public sealed class ProviderOptions
{
    /// <summary>The wire protocol: <c>openai</c> (OpenAI-compatible chat completions) or <c>anthropic</c>.</summary>
    /// <value><c>openai</c>.</value>
    public string Kind { get; set; } = ProviderKinds.OpenAI;

    /// <summary>The endpoint. For <c>openai</c> the URL that <c>/chat/completions</c> is appended to (e.g. <c>http://localhost:11434/v1</c>);
    /// for <c>anthropic</c> the URL <c>/v1/messages</c> is appended to.</summary>
    /// <value><see langword="null"/>: <c>https://api.openai.com/v1</c> or <c>https://api.anthropic.com</c> by kind.</value>
    public string? BaseUrl { get; set; }

    /// <summary>The name of the environment variable holding the API key (the key itself never goes in configuration).</summary>
    /// <value><see langword="null"/>: no key is sent (local servers). Required when <see cref="BaseUrl"/> is not set.</value>
    public string? ApiKeyEnvironmentVariable { get; set; }

    /// <summary>Extra HTTP headers sent with every request (e.g. OpenRouter's <c>HTTP-Referer</c>, Azure's <c>api-key</c>).</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Extra query-string parameters added to every request (e.g. Azure's <c>api-version</c>).</summary>
    public Dictionary<string, string> Query { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Extra top-level fields merged into every request body. A value that parses as JSON (number, true/false,
    /// null, object, array, quoted string) is sent as that JSON; anything else as a string. Nested configuration sections
    /// become JSON objects (arrays when their keys are 0, 1, 2 ...).</summary>
    public Dictionary<string, string> Body { get; set; } = new(StringComparer.Ordinal);

    /// <summary>For <c>openai</c>: the body field that carries the output token limit.</summary>
    /// <value><c>max_completion_tokens</c> (current OpenAI); some older compatible servers want <c>max_tokens</c>.</value>
    public string MaxTokensField { get; set; } = "max_completion_tokens";

    internal ProviderOptions Clone() => new()
    {
        Kind = Kind,
        BaseUrl = BaseUrl,
        ApiKeyEnvironmentVariable = ApiKeyEnvironmentVariable,
        Headers = new(Headers, StringComparer.OrdinalIgnoreCase),
        Query = new(Query, StringComparer.Ordinal),
        Body = new(Body, StringComparer.Ordinal),
        MaxTokensField = MaxTokensField,
    };
}
