using Cordial.Llm.Providers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cordial.Llm.Configuration;

/// <summary>Registers the LLM configuration and the <see cref="ModelCatalog"/>.</summary>
public static class LlmServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="LlmOptions"/> from <paramref name="configuration"/>'s <c>Llm</c> section, validates it at start
    /// (every problem reported, each naming its setting) and registers a singleton <see cref="ModelCatalog"/>.
    /// An <see cref="EnvironmentVariableLookup"/> and a <see cref="TimeProvider"/> already registered are used.
    /// </summary>
    public static IServiceCollection AddLlmProviders(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.TryAddSingleton<EnvironmentVariableLookup>(Environment.GetEnvironmentVariable);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<LlmOptions>()
            .Configure(options => LlmOptionsBinder.Bind(configuration.GetSection(LlmOptions.SectionName), options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LlmOptions>, LlmOptionsValidator>(
            sp => new LlmOptionsValidator(sp.GetRequiredService<EnvironmentVariableLookup>())));
        services.TryAddSingleton(sp => new ModelCatalog(
            sp.GetRequiredService<IOptions<LlmOptions>>().Value,
            sp.GetRequiredService<EnvironmentVariableLookup>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()));
        return services;
    }
}
