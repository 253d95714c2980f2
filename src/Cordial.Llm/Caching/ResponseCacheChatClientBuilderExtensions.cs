using Cordial.Llm.Pipeline;
using Cordial.Llm.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cordial.Llm.Caching;

/// <summary>Adds <see cref="ResponseCachingChatClient"/> to a <see cref="ChatPipelineBuilder"/>.</summary>
public static class ResponseCacheChatClientBuilderExtensions
{
    /// <summary>
    /// Adds the response cache stage. Options come from <c>IOptions&lt;CacheOptions&gt;</c> when not given (defaults
    /// otherwise); the <see cref="ResponseCache"/> (when registered), <see cref="TimeProvider"/>,
    /// <see cref="LlmMetrics"/> and logger from the service provider.
    /// </summary>
    public static ChatPipelineBuilder UseResponseCache(this ChatPipelineBuilder builder, CacheOptions? options = null, Action<ResponseCachingChatClient>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var stage = new ResponseCachingChatClient(
                inner,
                options ?? services?.GetService<IOptions<CacheOptions>>()?.Value,
                services?.GetService<TimeProvider>(),
                services?.GetService<LlmMetrics>(),
                services?.GetService<ILogger<ResponseCachingChatClient>>(),
                services?.GetService<ResponseCache>());
            configure?.Invoke(stage);
            return stage;
        });
    }
}
