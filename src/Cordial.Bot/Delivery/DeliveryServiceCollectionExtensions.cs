using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Cordial.Bot.Delivery;

/// <summary>Registers reply delivery.</summary>
public static class DeliveryServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ReplyStreamerFactory"/>, <see cref="DeliveryOptions"/> bound from the configuration section
    /// <c>Delivery</c> (validated at start), the default <see cref="IGenerationFailureDescriber"/> (unless one is
    /// registered) and <see cref="TimeProvider.System"/> (unless one is registered).
    /// </summary>
    public static IServiceCollection AddReplyDelivery(this IServiceCollection services, Action<DeliveryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IGenerationFailureDescriber, GenerationFailureDescriber>();
        services.TryAddSingleton<ReplyStreamerFactory>();
        return services;
    }
}
