using Cordial.Llm.Pipeline;
using Cordial.Llm.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cordial.Llm.Quotas;

/// <summary>Adds <see cref="QuotaChatClient"/> and <see cref="ProviderQuotaChatClient"/> to a <see cref="ChatPipelineBuilder"/>.</summary>
public static class QuotaChatClientBuilderExtensions
{
    /// <summary>
    /// Adds the user and guild quota stage. <paramref name="ledger"/>, when null, comes from the service provider
    /// (a registered <see cref="QuotaLedger"/>) or is created from <c>IOptions&lt;QuotaOptions&gt;</c> (defaults:
    /// no limits), <see cref="TimeProvider"/>, <see cref="LlmMetrics"/>, <see cref="IQuotaStateStore"/> and logger.
    /// Pass the same ledger to <see cref="UseProviderQuota"/>.
    /// </summary>
    public static ChatPipelineBuilder UseQuota(this ChatPipelineBuilder builder, QuotaLedger? ledger = null, Action<QuotaChatClient>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var stage = new QuotaChatClient(inner, ledger ?? ResolveLedger(services));
            configure?.Invoke(stage);
            return stage;
        });
    }

    /// <summary>
    /// Adds the provider quota stage (between fallback and resilience); set
    /// <see cref="ProviderQuotaChatClient.ResolveProvider"/> in <paramref name="configure"/>. The ledger is found as
    /// in <see cref="UseQuota"/>.
    /// </summary>
    public static ChatPipelineBuilder UseProviderQuota(this ChatPipelineBuilder builder, QuotaLedger? ledger = null, Action<ProviderQuotaChatClient>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var stage = new ProviderQuotaChatClient(inner, ledger ?? ResolveLedger(services));
            configure?.Invoke(stage);
            return stage;
        });
    }

    /// <summary>The registered ledger, or a new one from the registered options and collaborators.</summary>
    internal static QuotaLedger ResolveLedger(IServiceProvider? services) =>
        services?.GetService<QuotaLedger>() ?? new QuotaLedger(
            services?.GetService<IOptions<QuotaOptions>>()?.Value,
            services?.GetService<TimeProvider>(),
            services?.GetService<LlmMetrics>(),
            services?.GetService<IQuotaStateStore>(),
            services?.GetService<ILogger<QuotaLedger>>());
}
