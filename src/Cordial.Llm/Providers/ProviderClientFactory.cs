using Anthropic;
using Cordial.Llm.Configuration;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Cordial.Llm.Providers;

/// <summary>
/// Builds the raw provider <see cref="IChatClient"/> for one configured model — our own client for OpenAI-compatible
/// endpoints, the official SDK for Anthropic — with the HTTP stack under our control: no retries or timeouts below
/// the pipeline (it owns both).
/// </summary>
internal static class ProviderClientFactory
{
    /// <summary>Anthropic requires max_tokens; this is sent when neither the model nor the request sets one.</summary>
    public const int AnthropicDefaultMaxOutputTokens = 4096;

    /// <summary>The connection pool for one provider (shared by its models).</summary>
    public static SocketsHttpHandler CreateConnectionPool() => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        ConnectTimeout = TimeSpan.FromSeconds(30),
        AutomaticDecompression = System.Net.DecompressionMethods.All,
    };

    public static IChatClient Create(
        ProviderIdentity identity, ProviderOptions provider, ModelOptions model, string? apiKey,
        HttpMessageHandler connectionPool, TimeProvider timeProvider, ILogger logger, List<IDisposable> owned)
    {
        var endpoint = provider.BaseUrl is { } url ? new Uri(url) : ProviderKinds.DefaultBaseUrl(provider.Kind);
        var customization = new RequestCustomization(provider, model);
        var anthropic = string.Equals(provider.Kind, ProviderKinds.Anthropic, StringComparison.OrdinalIgnoreCase);
        ProviderLog.ClientCreated(logger, anthropic ? ProviderKinds.Anthropic : ProviderKinds.OpenAI, identity.ModelName, identity.ProviderName, identity.ProviderModelId, endpoint);
        return anthropic
            ? CreateAnthropic(identity, model, apiKey, endpoint, customization, connectionPool, timeProvider, logger, owned)
            : CreateOpenAI(identity, model, apiKey, endpoint, customization, connectionPool, timeProvider, logger, owned);
    }

    private static OpenAICompatibleChatClient CreateOpenAI(
        ProviderIdentity identity, ModelOptions model, string? apiKey, Uri endpoint, RequestCustomization customization,
        HttpMessageHandler connectionPool, TimeProvider timeProvider, ILogger logger, List<IDisposable> owned)
    {
        var http = new HttpClient(new ProviderErrorResponseHandler(timeProvider, connectionPool), disposeHandler: false)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        owned.Add(http);
        return new OpenAICompatibleChatClient(http, endpoint, apiKey, customization, model, identity, logger);
    }

    private static AnthropicChatClientAdapter CreateAnthropic(
        ProviderIdentity identity, ModelOptions model, string? apiKey, Uri endpoint, RequestCustomization customization,
        HttpMessageHandler connectionPool, TimeProvider timeProvider, ILogger logger, List<IDisposable> owned)
    {
        var http = new HttpClient(
            new ProviderRequestHandler(customization, new ProviderErrorResponseHandler(timeProvider, connectionPool)),
            disposeHandler: false)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        owned.Add(http);

        var client = new AnthropicClient(new Anthropic.Core.ClientOptions
        {
            HttpClient = http,
            BaseUrl = endpoint.ToString().TrimEnd('/'),
            ApiKey = apiKey ?? "",
            MaxRetries = 0,
            Timeout = TimeSpan.FromDays(1),
        });
        owned.Add(client);

        var inner = client.AsIChatClient(identity.ProviderModelId, model.MaxOutputTokens ?? AnthropicDefaultMaxOutputTokens);
        return new AnthropicChatClientAdapter(inner, model, identity, endpoint, logger);
    }
}
