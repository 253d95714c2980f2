using Cordial.Emulator.Llm;
using Cordial.Llm.Configuration;
using Cordial.Llm.Providers;
using Microsoft.Extensions.AI;

namespace Cordial.Llm.Tests.Providers;

/// <summary>
/// A real <see cref="LlmEmulatorHost"/> on 127.0.0.1 plus a <see cref="ModelCatalog"/> whose providers point at it,
/// so tests drive the real SDK clients over real sockets. One per test: faults and recordings never leak.
/// </summary>
internal sealed class EmulatedProviders : IAsyncDisposable
{
    public const string OpenAIKey = "sk-test-openai";
    public const string AnthropicKey = "sk-ant-test";

    private EmulatedProviders(LlmEmulatorHost host, ModelCatalog catalog)
    {
        Host = host;
        Catalog = catalog;
    }

    public LlmEmulatorHost Host { get; }

    public LlmEmulator Emulator => Host.Emulator;

    public ModelCatalog Catalog { get; }

    /// <summary>Models: small (openai, sim-small), vision (openai, sim-vision, Vision), claude (anthropic, sim-large),
    /// claude-vision (anthropic, sim-vision, Vision), missing (openai, not served by the emulator).</summary>
    public static async Task<EmulatedProviders> StartAsync(Action<LlmOptions>? configure = null)
    {
        var host = await LlmEmulatorHost.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var fast = new LlmBehavior { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0 };
        host.Emulator.SetDefaultBehavior(fast);

        var options = new LlmOptions
        {
            Providers =
            {
                ["emu-openai"] = new ProviderOptions { Kind = "openai", BaseUrl = host.OpenAIBaseAddress.ToString(), ApiKeyEnvironmentVariable = "EMU_OPENAI_KEY" },
                ["emu-anthropic"] = new ProviderOptions { Kind = "anthropic", BaseUrl = host.AnthropicBaseAddress.ToString(), ApiKeyEnvironmentVariable = "EMU_ANTHROPIC_KEY" },
            },
            Models =
            {
                ["small"] = new ModelOptions { Provider = "emu-openai", ModelId = "sim-small" },
                ["vision"] = new ModelOptions { Provider = "emu-openai", ModelId = "sim-vision", Vision = true },
                ["claude"] = new ModelOptions { Provider = "emu-anthropic", ModelId = "sim-large" },
                ["claude-vision"] = new ModelOptions { Provider = "emu-anthropic", ModelId = "sim-vision", Vision = true },
                ["missing"] = new ModelOptions { Provider = "emu-openai", ModelId = "no-such-model" },
            },
            DefaultModel = "small",
        };
        configure?.Invoke(options);
        var environment = new Dictionary<string, string> { ["EMU_OPENAI_KEY"] = OpenAIKey, ["EMU_ANTHROPIC_KEY"] = AnthropicKey };
        try
        {
            return new EmulatedProviders(host, new ModelCatalog(options, name => environment.GetValueOrDefault(name)));
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public IChatClient Client(string model) => Catalog.GetProviderClient(model);

    /// <summary>One call, streaming or not, returned as a response (updates coalesced by the abstractions' own helper).</summary>
    public Task<(ChatResponse Response, List<ChatResponseUpdate> Updates)> AskAsync(
        string model, bool streaming, IEnumerable<ChatMessage> messages, ChatOptions? options = null) =>
        AskUntilCancelledAsync(model, streaming, messages, TestContext.Current.CancellationToken, options);

    public async Task<(ChatResponse Response, List<ChatResponseUpdate> Updates)> AskUntilCancelledAsync(
        string model, bool streaming, IEnumerable<ChatMessage> messages, CancellationToken cancellationToken, ChatOptions? options = null)
    {
        var client = Client(model);
        if (!streaming)
        {
            return (await client.GetResponseAsync(messages, options, cancellationToken), []);
        }

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            updates.Add(update);
        }

        return (updates.ToChatResponse(), updates);
    }

    public Task<(ChatResponse Response, List<ChatResponseUpdate> Updates)> AskAsync(string model, bool streaming, string text, ChatOptions? options = null) =>
        AskAsync(model, streaming, [new ChatMessage(ChatRole.User, text)], options);

    public RecordedLlmRequest LastRequest => Emulator.Requests[^1];

    public async ValueTask DisposeAsync()
    {
        Catalog.Dispose();
        await Host.DisposeAsync();
    }
}
