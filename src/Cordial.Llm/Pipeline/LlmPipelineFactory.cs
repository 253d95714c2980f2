using Cordial.Llm.Caching;
using Cordial.Llm.Coalescing;
using Cordial.Llm.Fallback;
using Cordial.Llm.Providers;
using Cordial.Llm.Quotas;
using Cordial.Llm.Resilience;
using Cordial.Llm.Telemetry;
using Cordial.Llm.Tools;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cordial.Llm.Pipeline;

/// <summary>
/// The one place where the LLM middleware is composed. The result serves every configured model: a request picks
/// its model with <see cref="ChatOptions.ModelId"/> = a configured model name (null = the default model).
/// </summary>
/// <remarks>
/// Order, outermost first (see docs/LLM-PIPELINE.md for why):
/// telemetry → cache → quota (users, guilds) → coalescing → tools → fallback → provider quota → resilience → model router → provider.
/// </remarks>
public static class LlmPipelineFactory
{
    /// <summary>
    /// Builds the pipeline over <paramref name="catalog"/>'s provider clients. Settings and collaborators come from
    /// <paramref name="services"/> when registered (<c>IOptions&lt;LlmResilienceOptions&gt;</c>,
    /// <c>IOptions&lt;ToolOptions&gt;</c>, <see cref="ToolRegistry"/>, <see cref="LlmMetrics"/>,
    /// <see cref="TimeProvider"/>, loggers); defaults otherwise. <paramref name="resilience"/> and
    /// <paramref name="tools"/>, when given, take precedence over the registered options.
    /// </summary>
    /// <returns>The composed client; the caller disposes it. It does not dispose the catalog.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is invalid (the message names it).</exception>
    public static IChatClient Create(ModelCatalog catalog, IServiceProvider? services = null, LlmResilienceOptions? resilience = null, ToolOptions? tools = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return Create(ModelRouting.FromCatalog(catalog), services, resilience, tools);
    }

    internal static IChatClient Create(ModelRouting routing, IServiceProvider? services, LlmResilienceOptions? resilience, ToolOptions? tools = null)
    {
        ArgumentNullException.ThrowIfNull(routing);
        resilience ??= services?.GetService<IOptions<LlmResilienceOptions>>()?.Value;
        tools ??= services?.GetService<IOptions<ToolOptions>>()?.Value;

        // Every stage records into one LlmMetrics; without a registered one the telemetry stage owns a private one.
        var ownMetrics = services?.GetService<LlmMetrics>() is null ? new LlmMetrics() : null;
        if (ownMetrics is not null)
        {
            services = new WithMetrics(services, ownMetrics);
        }

        // One ledger for both quota stages (and /stats): the registered one, or one from the registered options.
        var quotas = QuotaChatClientBuilderExtensions.ResolveLedger(services);

        return new ChatPipelineBuilder(new ModelRouterChatClient(routing))
            .UseTelemetry(configure: t =>
            {
                t.DefaultModelName = routing.ResolveModel(null);
                t.ResolveProvider = routing.ProviderOf;
                t.OwnsMetrics = ownMetrics is not null;
            })

            // Cache (a hit skips everything below and is still measured above, and costs no quota), quota (per user /
            // guild: each asker is checked and charged for their own question), coalescing (identical in-flight
            // requests of any users share one provider call; a refusal never reaches a joiner, it is decided above).
            .UseResponseCache()
            .UseQuota(quotas)
            .UseCoalescing()
            .UseTools(options: tools)
            .UseFallback(f =>
            {
                f.ResolveModel = routing.ResolveModel;
                f.ResolveFallbacks = routing.FallbacksOf;
            })
            // Provider quotas per model attempt: a provider out of quota lets the fallback model answer; not retried.
            .UseProviderQuota(quotas, q => q.ResolveProvider = model => routing.ProviderOf(routing.ResolveModel(model)))
            .UseResilience(resilience, r => r.ResolveProvider = model => routing.ProviderOf(routing.ResolveModel(model)))
            .Build(services);
    }

    /// <summary>The caller's services plus a pipeline-owned <see cref="LlmMetrics"/>.</summary>
    private sealed class WithMetrics(IServiceProvider? inner, LlmMetrics metrics) : IServiceProvider
    {
        public object? GetService(Type serviceType) =>
            serviceType == typeof(LlmMetrics) ? metrics : inner?.GetService(serviceType);
    }
}
