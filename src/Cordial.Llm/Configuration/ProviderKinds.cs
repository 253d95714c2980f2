namespace Cordial.Llm.Configuration;

/// <summary>The values <see cref="ProviderOptions.Kind"/> accepts.</summary>
public static class ProviderKinds
{
    /// <summary>Any endpoint that speaks the OpenAI chat completions API (OpenAI, Gemini, OpenRouter, Groq, Ollama, vLLM ...).</summary>
    public const string OpenAI = "openai";

    /// <summary>The Anthropic messages API.</summary>
    public const string Anthropic = "anthropic";

    /// <summary>Every known kind, for messages.</summary>
    public static IReadOnlyList<string> All { get; } = [OpenAI, Anthropic];

    /// <summary>The endpoint used when <see cref="ProviderOptions.BaseUrl"/> is not set.</summary>
    public static Uri DefaultBaseUrl(string kind) =>
        string.Equals(kind, Anthropic, StringComparison.OrdinalIgnoreCase)
            ? new Uri("https://api.anthropic.com/")
            : new Uri("https://api.openai.com/v1/");
}
