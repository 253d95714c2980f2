using Cordial.Llm.Caching;
using Cordial.Llm.Coalescing;
using Cordial.Llm.Configuration;
using Cordial.Llm.Providers;
using Cordial.Llm.Quotas;
using Cordial.Llm.Resilience;
using Cordial.Llm.Telemetry;
using Cordial.Llm.Tools;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace Cordial.Llm.Pipeline;

/// <summary>Registers the whole LLM side: providers (<see cref="LlmServiceCollectionExtensions.AddLlmProviders"/>) and the pipeline.</summary>
public static class LlmPipelineServiceCollectionExtensions
{
    /// <summary>
    /// Registers the providers, <see cref="LlmResilienceOptions"/> (section <c>Llm:Resilience</c>) and
    /// <see cref="ToolOptions"/> (section <c>Llm:Tools</c>), both validated at start, a <see cref="ToolRegistry"/>,
    /// <see cref="LlmMetrics"/> and the composed <see cref="IChatClient"/> singleton (<see cref="LlmPipelineFactory"/>).
    /// </summary>
    public static IServiceCollection AddCordialLlm(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddLlmProviders(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<LlmResilienceOptions>().Bind(configuration.GetSection(LlmResilienceOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LlmResilienceOptions>, LlmResilienceOptionsValidator>());
        services.AddOptions<ToolOptions>().Bind(configuration.GetSection(ToolOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ToolOptions>, ToolOptionsValidator>());
        services.AddOptions<CacheOptions>().Bind(configuration.GetSection(CacheOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CacheOptions>, CacheOptionsValidator>());
        services.AddOptions<CoalescingOptions>().Bind(configuration.GetSection(CoalescingOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CoalescingOptions>, CoalescingOptionsValidator>());
        services.AddOptions<QuotaOptions>().Bind(configuration.GetSection(QuotaOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QuotaOptions>, QuotaOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QuotaOptions>, QuotaProviderNamesValidator>());
        services.AddMetrics();
        services.TryAddSingleton(sp => new LlmMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton<ToolRegistry>();
        services.TryAddSingleton(sp => QuotaChatClientBuilderExtensions.ResolveLedger(new WithoutLedger(sp)));
        services.AddHostedService<QuotaPersistenceService>();
        services.TryAddSingleton(sp => LlmPipelineFactory.Create(sp.GetRequiredService<ModelCatalog>(), sp));
        return services;
    }

    /// <summary>The services minus <see cref="QuotaLedger"/> (so its factory builds one instead of asking for itself).</summary>
    private sealed class WithoutLedger(IServiceProvider inner) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(QuotaLedger) ? null : inner.GetService(serviceType);
    }
}
