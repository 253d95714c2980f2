using Cordial.Llm.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cordial.Llm.Telemetry;

/// <summary>Adds <see cref="TelemetryChatClient"/> to a <see cref="ChatPipelineBuilder"/>.</summary>
public static class TelemetryChatClientBuilderExtensions
{
    /// <summary>
    /// Adds the telemetry stage. <paramref name="metrics"/>, the <see cref="TimeProvider"/> and the logger come from
    /// the service provider when not given; without them the stage owns a private meter and uses the system clock.
    /// </summary>
    public static ChatPipelineBuilder UseTelemetry(this ChatPipelineBuilder builder, LlmMetrics? metrics = null, Action<TelemetryChatClient>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var stage = new TelemetryChatClient(
                inner,
                metrics ?? services?.GetService<LlmMetrics>(),
                services?.GetService<TimeProvider>(),
                services?.GetService<ILogger<TelemetryChatClient>>());
            configure?.Invoke(stage);
            return stage;
        });
    }
}
