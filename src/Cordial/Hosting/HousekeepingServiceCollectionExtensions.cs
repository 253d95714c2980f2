using Cordial.Bot.Housekeeping;
using Cordial.Storage.Retention;

namespace Cordial.Hosting;

/// <summary>Registers the housekeeping timer and the bot's own housekeeping tasks (more are added as <see cref="IHousekeepingTask"/> singletons).</summary>
internal static class HousekeepingServiceCollectionExtensions
{
    public static IServiceCollection AddHousekeeping(this IServiceCollection services, HousekeepingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton<IHousekeepingTask, StorageRetentionTask>();
        services.AddSingleton<IHousekeepingTask, RestRateLimitPruningTask>();
        services.AddSingleton<IHousekeepingTask, QuotaPruningTask>();
        services.AddSingleton<HousekeepingService>();
        services.AddHostedService(sp => sp.GetRequiredService<HousekeepingService>());
        return services;
    }
}
