using Cordial.Llm.Configuration;

namespace Cordial.Llm.Tests.Configuration;

public sealed class LlmOptionsValidatorTests
{
    private static LlmOptions Valid() => new()
    {
        Providers =
        {
            ["openai"] = new ProviderOptions { Kind = "openai", ApiKeyEnvironmentVariable = "OPENAI_API_KEY" },
            ["local"] = new ProviderOptions { Kind = "openai", BaseUrl = "http://localhost:11434/v1" },
        },
        Models =
        {
            ["fast"] = new ModelOptions { Provider = "openai", ModelId = "gpt-4.1-mini" },
            ["llama"] = new ModelOptions { Provider = "local", Fallbacks = ["fast"] },
        },
        DefaultModel = "fast",
    };

    private static IReadOnlyList<string> Validate(LlmOptions options, string? key = "sk-x") =>
        new LlmOptionsValidator(name => name == "OPENAI_API_KEY" ? key : null).Validate(options);

    [Fact]
    public void Accepts_a_valid_configuration()
    {
        Assert.Empty(Validate(Valid()));
    }

    [Fact]
    public void A_single_model_needs_no_default()
    {
        var options = Valid();
        options.Models.Remove("llama");
        options.DefaultModel = null;

        Assert.Empty(Validate(options));
    }

    public static TheoryData<string, string> Problems => new()
    {
        { "unknown provider", "Llm:Models:fast:Provider: unknown provider 'opnai' (known: openai, local)" },
        { "missing key", "Llm:Providers:openai:ApiKeyEnvironmentVariable: environment variable OPENAI_API_KEY is not set" },
        { "bad url", "Llm:Providers:local:BaseUrl: 'foo' is not an absolute http(s) URL" },
        { "ftp url", "Llm:Providers:local:BaseUrl: 'ftp://host/v1' is not an absolute http(s) URL" },
        { "bad kind", "Llm:Providers:local:Kind: unknown kind 'gemini' (known: openai, anthropic)" },
        { "unknown default", "Llm:DefaultModel: unknown model 'gpt-9' (known: fast, llama)" },
        { "no default", "Llm:DefaultModel: required when more than one model is configured (known: fast, llama)" },
        { "guild id", "Llm:GuildModels:my-guild: 'my-guild' is not a numeric guild id" },
        { "channel model", "Llm:ChannelModels:42: unknown model 'nope' (known: fast, llama)" },
        { "fallback unknown", "Llm:Models:llama:Fallbacks:0: unknown model 'fsat' (known: fast, llama)" },
        { "fallback self", "Llm:Models:llama:Fallbacks:0: a model cannot fall back to itself" },
        { "temperature", "Llm:Models:fast:Temperature: 3 is outside 0..2" },
        { "anthropic temperature", "Llm:Models:fast:Temperature: not supported by anthropic providers (the current Messages API has no sampling parameters)" },
        { "max tokens", "Llm:Models:fast:MaxOutputTokens: must be positive (got 0)" },
        { "effort", "Llm:Models:fast:ReasoningEffort: unknown effort 'extreme' (known: none, minimal, low, medium, high)" },
        { "header", "Llm:Providers:local:Headers:Bad Header: 'Bad Header' is not a valid HTTP header name" },
        { "header value", "Llm:Providers:local:Headers:X-Ok: the value must be one line of text" },
        { "max tokens field", "Llm:Providers:local:MaxTokensField: 'maxTokens' is not supported (known: max_completion_tokens, max_tokens)" },
        { "no key for public endpoint", "Llm:Providers:openai:ApiKeyEnvironmentVariable: required when BaseUrl is not set (https://api.openai.com/v1/ needs a key)" },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public void Names_the_setting_of_each_problem(string problem, string expected)
    {
        var options = Valid();
        string? key = "sk-x";
        switch (problem)
        {
            case "unknown provider": options.Models["fast"].Provider = "opnai"; break;
            case "missing key": key = null; break;
            case "bad url": options.Providers["local"].BaseUrl = "foo"; break;
            case "ftp url": options.Providers["local"].BaseUrl = "ftp://host/v1"; break;
            case "bad kind": options.Providers["local"].Kind = "gemini"; break;
            case "unknown default": options.DefaultModel = "gpt-9"; break;
            case "no default": options.DefaultModel = null; break;
            case "guild id": options.GuildModels["my-guild"] = "fast"; break;
            case "channel model": options.ChannelModels["42"] = "nope"; break;
            case "fallback unknown": options.Models["llama"].Fallbacks = ["fsat"]; break;
            case "fallback self": options.Models["llama"].Fallbacks = ["llama"]; break;
            case "temperature": options.Models["fast"].Temperature = 3; break;
            case "anthropic temperature": options.Providers["openai"].Kind = "anthropic"; options.Providers["openai"].BaseUrl = "https://api.anthropic.com"; options.Models["fast"].Temperature = 0.5; break;
            case "max tokens": options.Models["fast"].MaxOutputTokens = 0; break;
            case "effort": options.Models["fast"].ReasoningEffort = "extreme"; break;
            case "header": options.Providers["local"].Headers["Bad Header"] = "x"; break;
            case "header value": options.Providers["local"].Headers["X-Ok"] = "a\r\nInjected: yes"; break;
            case "max tokens field": options.Providers["local"].MaxTokensField = "maxTokens"; break;
            case "no key for public endpoint": options.Providers["openai"].ApiKeyEnvironmentVariable = null; break;
            default: throw new ArgumentOutOfRangeException(nameof(problem));
        }

        var errors = Validate(options, key);

        Assert.Equal([expected], errors);
    }

    [Fact]
    public void Reports_every_problem_at_once()
    {
        var options = Valid();
        options.Models["fast"].Provider = "opnai";
        options.Providers["local"].BaseUrl = "foo";
        options.DefaultModel = "gpt-9";
        options.ChannelModels["x"] = "fast";

        var errors = Validate(options, key: null);

        Assert.Equal(5, errors.Count);
        Assert.All(errors, e => Assert.StartsWith("Llm:", e, StringComparison.Ordinal));
    }

    [Fact]
    public void Finds_fallback_cycles()
    {
        var options = Valid();
        options.Models["fast"].Fallbacks = ["mid"];
        options.Models["mid"] = new ModelOptions { Provider = "local", Fallbacks = ["llama"] };

        var errors = Validate(options);

        var cycle = Assert.Single(errors);
        Assert.Matches(@"^Llm:Models:\w+:Fallbacks: fallback cycle (\w+ -> ){3}\w+$", cycle);
        Assert.Contains("fast", cycle, StringComparison.Ordinal);
        Assert.Contains("mid", cycle, StringComparison.Ordinal);
        Assert.Contains("llama", cycle, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_model_names_that_differ_only_in_case()
    {
        var options = Valid();
        options.Models = new Dictionary<string, ModelOptions>(StringComparer.Ordinal)
        {
            ["fast"] = new() { Provider = "local" },
            ["Fast"] = new() { Provider = "local" },
        };

        Assert.Contains("Llm:Models: the names 'fast', 'Fast' differ only in case", Validate(options));
    }

    [Fact]
    public void Requires_providers_and_models()
    {
        var errors = Validate(new LlmOptions());

        Assert.Equal(["Llm:Providers: at least one provider is required", "Llm:Models: at least one model is required"], errors);
    }
}
