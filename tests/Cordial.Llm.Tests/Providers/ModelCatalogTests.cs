using Cordial.Llm.Configuration;
using Cordial.Llm.Providers;
using Microsoft.Extensions.Options;

namespace Cordial.Llm.Tests.Providers;

public sealed class ModelCatalogTests
{
    private static LlmOptions Options() => new()
    {
        Providers =
        {
            ["local"] = new ProviderOptions { Kind = "openai", BaseUrl = "http://127.0.0.1:9/v1" },
            ["claude"] = new ProviderOptions { Kind = "anthropic", ApiKeyEnvironmentVariable = "ANTHROPIC_KEY" },
        },
        Models =
        {
            ["fast"] = new ModelOptions { Provider = "local", ModelId = "llama3.2", Fallbacks = ["smart"] },
            ["smart"] = new ModelOptions { Provider = "Claude" },
            ["eyes"] = new ModelOptions { Provider = "local", Vision = true },
        },
        DefaultModel = "fast",
        GuildModels = { ["100"] = "smart" },
        ChannelModels = { ["200"] = "eyes" },
    };

    private static string? Environment(string name) => name == "ANTHROPIC_KEY" ? "key" : null;

    [Fact]
    public void Resolves_channel_then_guild_then_default()
    {
        using var catalog = new ModelCatalog(Options(), Environment);

        Assert.Equal("eyes", catalog.ResolveModel(100, 200));
        Assert.Equal("smart", catalog.ResolveModel(100, 201));
        Assert.Equal("smart", catalog.ResolveModel(100, null));
        Assert.Equal("fast", catalog.ResolveModel(101, 201));
        Assert.Equal("eyes", catalog.ResolveModel(null, 200));
        Assert.Equal("fast", catalog.ResolveModel(null, null));
    }

    [Fact]
    public void Snapshots_the_options()
    {
        var options = Options();
        using var catalog = new ModelCatalog(options, Environment);

        options.Models["fast"].ModelId = "changed";
        options.Models.Remove("eyes");
        options.DefaultModel = "smart";

        Assert.Equal(["fast", "smart", "eyes"], catalog.ModelNames);
        Assert.Equal("llama3.2", catalog.GetModel("fast").ModelId);
        Assert.Equal("fast", catalog.DefaultModel);
    }

    [Fact]
    public void Fills_in_model_ids_and_provider_spelling_and_looks_names_up_case_insensitively()
    {
        using var catalog = new ModelCatalog(Options(), Environment);

        Assert.Equal("smart", catalog.GetModel("smart").ModelId);
        Assert.Equal("claude", catalog.GetModel("SMART").Provider);
        Assert.True(catalog.TryGetModelName("Eyes", out var name));
        Assert.Equal("eyes", name);
        Assert.False(catalog.TryGetModelName("nope", out _));
    }

    [Fact]
    public void An_unknown_model_throws_naming_it()
    {
        using var catalog = new ModelCatalog(Options(), Environment);

        var failure = Assert.Throws<KeyNotFoundException>(() => catalog.GetModel("gpt-9"));
        Assert.Contains("'gpt-9'", failure.Message, StringComparison.Ordinal);
        Assert.Throws<KeyNotFoundException>(() => catalog.GetProviderClient("gpt-9"));
    }

    [Fact]
    public async Task Caches_one_provider_client_per_model_even_under_concurrency()
    {
        using var catalog = new ModelCatalog(Options(), Environment);

        var clients = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => catalog.GetProviderClient("fast"), TestContext.Current.CancellationToken)));

        Assert.All(clients, c => Assert.Same(clients[0], c));
        Assert.NotSame(clients[0], catalog.GetProviderClient("eyes"));
        Assert.IsType<OpenAICompatibleChatClient>(clients[0]);
        Assert.IsType<AnthropicChatClientAdapter>(catalog.GetProviderClient("smart"));
    }

    [Fact]
    public void Refuses_invalid_options_listing_every_problem()
    {
        var options = Options();
        options.Models["fast"].Provider = "opnai";
        options.DefaultModel = "nope";

        var failure = Assert.Throws<OptionsValidationException>(() => new ModelCatalog(options, _ => null));

        Assert.Contains(failure.Failures, f => f.StartsWith("Llm:Models:fast:Provider: unknown provider 'opnai'", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.StartsWith("Llm:DefaultModel: unknown model 'nope'", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f == "Llm:Providers:claude:ApiKeyEnvironmentVariable: environment variable ANTHROPIC_KEY is not set");
    }

    [Fact]
    public void A_disposed_catalog_hands_out_no_clients()
    {
        var catalog = new ModelCatalog(Options(), Environment);
        catalog.GetProviderClient("fast");

        catalog.Dispose();
        catalog.Dispose();

        Assert.Throws<ObjectDisposedException>(() => catalog.GetProviderClient("fast"));
    }
}
