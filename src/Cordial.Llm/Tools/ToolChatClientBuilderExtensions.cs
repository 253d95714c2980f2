using Cordial.Llm.Pipeline;
using Cordial.Llm.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cordial.Llm.Tools;

/// <summary>Adds <see cref="ToolInvokingChatClient"/> to a <see cref="ChatPipelineBuilder"/>.</summary>
public static class ToolChatClientBuilderExtensions
{
    /// <summary>
    /// Adds the tool invocation loop. The registry and options come from the service provider
    /// (<see cref="ToolRegistry"/>, <c>IOptions&lt;ToolOptions&gt;</c>) when not given; defaults otherwise.
    /// </summary>
    public static ChatPipelineBuilder UseTools(this ChatPipelineBuilder builder, ToolRegistry? registry = null, ToolOptions? options = null, Action<ToolInvokingChatClient>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var stage = new ToolInvokingChatClient(
                inner,
                registry ?? services?.GetService<ToolRegistry>(),
                options ?? services?.GetService<IOptions<ToolOptions>>()?.Value,
                services?.GetService<TimeProvider>(),
                services?.GetService<LlmMetrics>(),
                services?.GetService<ILogger<ToolInvokingChatClient>>());
            configure?.Invoke(stage);
            return stage;
        });
    }
}
