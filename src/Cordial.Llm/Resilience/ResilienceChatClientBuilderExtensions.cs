using Cordial.Llm.Pipeline;
using Cordial.Llm.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cordial.Llm.Resilience;

/// <summary>Adds <see cref="ResilientChatClient"/> to a <see cref="ChatPipelineBuilder"/>.</summary>
public static class ResilienceChatClientBuilderExtensions
{
    /// <summary>
    /// Adds the resilience stage (timeouts, retries, per-provider circuit breaker). Options come from
    /// <c>IOptions&lt;LlmResilienceOptions&gt;</c> when not given (defaults otherwise); the <see cref="TimeProvider"/>,
    /// <see cref="LlmMetrics"/> and logger from the service provider when registered.
    /// </summary>
    public static ChatPipelineBuilder UseResilience(this ChatPipelineBuilder builder, LlmResilienceOptions? options = null, Action<ResilientChatClient>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var stage = new ResilientChatClient(
                inner,
                options ?? services?.GetService<IOptions<LlmResilienceOptions>>()?.Value,
                services?.GetService<TimeProvider>(),
                services?.GetService<LlmMetrics>(),
                services?.GetService<ILogger<ResilientChatClient>>());
            configure?.Invoke(stage);
            return stage;
        });
    }
}
