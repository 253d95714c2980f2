using Cordial.Llm.Pipeline;
using Cordial.Llm.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cordial.Llm.Fallback;

/// <summary>Adds <see cref="FallbackChatClient"/> to a <see cref="ChatPipelineBuilder"/>.</summary>
public static class FallbackChatClientBuilderExtensions
{
    /// <summary>
    /// Adds the fallback stage. Configure <see cref="FallbackChatClient.ResolveModel"/> and
    /// <see cref="FallbackChatClient.ResolveFallbacks"/> through <paramref name="configure"/>; metrics and logger come
    /// from the service provider when registered.
    /// </summary>
    public static ChatPipelineBuilder UseFallback(this ChatPipelineBuilder builder, Action<FallbackChatClient>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var stage = new FallbackChatClient(inner, services?.GetService<LlmMetrics>(), services?.GetService<ILogger<FallbackChatClient>>());
            configure?.Invoke(stage);
            return stage;
        });
    }
}
