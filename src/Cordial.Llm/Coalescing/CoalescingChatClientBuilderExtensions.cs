using Cordial.Llm.Pipeline;
using Cordial.Llm.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cordial.Llm.Coalescing;

/// <summary>Adds <see cref="CoalescingChatClient"/> to a <see cref="ChatPipelineBuilder"/>.</summary>
public static class CoalescingChatClientBuilderExtensions
{
    /// <summary>
    /// Adds the request coalescing stage. Options come from <c>IOptions&lt;CoalescingOptions&gt;</c> when not given
    /// (defaults otherwise); <see cref="LlmMetrics"/> and logger from the service provider when registered.
    /// </summary>
    public static ChatPipelineBuilder UseCoalescing(this ChatPipelineBuilder builder, CoalescingOptions? options = null, Action<CoalescingChatClient>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var stage = new CoalescingChatClient(
                inner,
                options ?? services?.GetService<IOptions<CoalescingOptions>>()?.Value,
                services?.GetService<LlmMetrics>(),
                services?.GetService<ILogger<CoalescingChatClient>>());
            configure?.Invoke(stage);
            return stage;
        });
    }
}
