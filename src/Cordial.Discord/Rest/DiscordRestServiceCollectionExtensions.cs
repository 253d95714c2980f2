using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cordial.Discord.Rest;

/// <summary>Registers <see cref="DiscordRestClient"/> with its options, validator and HTTP client.</summary>
public static class DiscordRestServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="HttpClient"/> the REST client gets from IHttpClientFactory.</summary>
    public const string HttpClientName = "Cordial.Discord.Rest";

    /// <summary>
    /// Adds a singleton <see cref="DiscordRestClient"/>. Options come from <paramref name="configure"/> (and any
    /// other configuration of <see cref="RestClientOptions"/>) and are validated at start.
    /// </summary>
    public static IServiceCollection AddDiscordRest(this IServiceCollection services, Action<RestClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<RestClientOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RestClientOptions>, RestClientOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(HttpClientName)
            // HttpClient's own loggers write request paths at Information, and interaction paths carry the
            // interaction token. The client logs what it needs itself, without tokens.
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // The client is a singleton: recycle connections so DNS changes are seen.
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                AutomaticDecompression = System.Net.DecompressionMethods.All,
            });
        services.TryAddSingleton(sp => new DiscordRestClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<IOptions<RestClientOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<DiscordRestClient>>(),
            sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        return services;
    }
}
