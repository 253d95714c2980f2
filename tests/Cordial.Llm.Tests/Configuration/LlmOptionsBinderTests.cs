using System.Text.Json.Nodes;
using Cordial.Llm.Configuration;
using Cordial.Llm.Providers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cordial.Llm.Tests.Configuration;

public sealed class LlmOptionsBinderTests
{
    private const string Json = """
        {
          "Llm": {
            "Providers": {
              "openrouter": {
                "Kind": "openai",
                "BaseUrl": "https://openrouter.ai/api/v1",
                "ApiKeyEnvironmentVariable": "OPENROUTER_API_KEY",
                "Headers": { "HTTP-Referer": "https://example.com", "X-Title": "Cordial" },
                "Query": { "api-version": "1" },
                "Body": { "provider": { "order": [ "groq", "together" ], "allow_fallbacks": false }, "transforms": [ "middle-out" ] }
              },
              "claude": { "Kind": "anthropic", "ApiKeyEnvironmentVariable": "ANTHROPIC_API_KEY" }
            },
            "Models": {
              "fast": { "Provider": "openrouter", "ModelId": "meta-llama/llama-3.3-70b", "Temperature": 0.7, "MaxOutputTokens": 800,
                        "Parameters": { "top_k": 40, "stop": "END" }, "Fallbacks": [ "smart" ] },
              "smart": { "Provider": "claude", "ModelId": "claude-sonnet-4-5", "ReasoningEffort": "low", "Vision": true }
            },
            "DefaultModel": "fast",
            "GuildModels": { "123456789012345678": "smart" },
            "ChannelModels": { "223456789012345678": "fast" }
          }
        }
        """;

    private static IConfiguration Configuration()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cordial-llm-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, Json);
        try
        {
            return new ConfigurationBuilder().AddJsonFile(path).Build();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Binds_every_setting()
    {
        var options = LlmOptionsBinder.Load(Configuration());

        var router = options.Providers["OpenRouter"];
        Assert.Equal("openai", router.Kind);
        Assert.Equal("https://openrouter.ai/api/v1", router.BaseUrl);
        Assert.Equal("OPENROUTER_API_KEY", router.ApiKeyEnvironmentVariable);
        Assert.Equal("Cordial", router.Headers["x-title"]);
        Assert.Equal("1", router.Query["api-version"]);
        var fast = options.Models["fast"];
        Assert.Equal("meta-llama/llama-3.3-70b", fast.ModelId);
        Assert.Equal(0.7, fast.Temperature);
        Assert.Equal(800, fast.MaxOutputTokens);
        Assert.Equal(["smart"], fast.Fallbacks);
        Assert.True(options.Models["smart"].Vision);
        Assert.Equal("low", options.Models["smart"].ReasoningEffort);
        Assert.Equal("smart", options.GuildModels["123456789012345678"]);
        Assert.Equal("fast", options.ChannelModels["223456789012345678"]);
    }

    [Fact]
    public void Turns_nested_body_sections_into_json()
    {
        var options = LlmOptionsBinder.Load(Configuration());

        var provider = JsonNode.Parse(options.Providers["openrouter"].Body["provider"])!;
        Assert.Equal(["groq", "together"], provider["order"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.False(provider["allow_fallbacks"]!.GetValue<bool>());
        Assert.Equal("""["middle-out"]""", options.Providers["openrouter"].Body["transforms"]);
        Assert.Equal("40", options.Models["fast"].Parameters["top_k"]);
    }

    [Theory]
    [InlineData("40", "40")]
    [InlineData("-1.5", "-1.5")]
    [InlineData("true", "true")]
    [InlineData("False", "false")]
    [InlineData("null", "null")]
    [InlineData("""{"a":1}""", """{"a":1}""")]
    [InlineData("""["x"]""", """["x"]""")]
    [InlineData("\"40\"", "\"40\"")]
    [InlineData("END", "\"END\"")]
    [InlineData("{not json", "\"{not json\"")]
    [InlineData("two words", "\"two words\"")]
    public void Setting_values_are_json_when_they_parse_and_strings_otherwise(string value, string wire)
    {
        Assert.Equal(wire, JsonSettingValue.ToJsonText(value));
    }

    [Fact]
    public void The_service_registration_validates_and_builds_the_catalog()
    {
        var services = new ServiceCollection();
        services.AddSingleton((EnvironmentVariableLookup)(name => name.EndsWith("_API_KEY", StringComparison.Ordinal) ? "key" : null));
        services.AddLlmProviders(Configuration());
        using var provider = services.BuildServiceProvider();

        var catalog = provider.GetRequiredService<ModelCatalog>();

        Assert.Equal("fast", catalog.DefaultModel);
        Assert.Equal("smart", catalog.ResolveModel(123456789012345678, 1));
        Assert.Equal("meta-llama/llama-3.3-70b", catalog.GetModel("fast").ModelId);
    }

    [Fact]
    public void The_service_registration_reports_bad_configuration_by_setting()
    {
        var services = new ServiceCollection();
        services.AddSingleton((EnvironmentVariableLookup)(_ => null));
        services.AddLlmProviders(Configuration());
        using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<LlmOptions>>().Value);

        Assert.Equivalent(
            new[]
            {
                "Llm:Providers:openrouter:ApiKeyEnvironmentVariable: environment variable OPENROUTER_API_KEY is not set",
                "Llm:Providers:claude:ApiKeyEnvironmentVariable: environment variable ANTHROPIC_API_KEY is not set",
            },
            failure.Failures,
            strict: true);
    }
}
