using Cordial.Bot.Housekeeping;
using Cordial.Discord.Rest;

namespace Cordial.Hosting;

/// <summary>
/// Drops the Discord REST client's rate-limit routes and buckets that have been idle for Discord:BucketIdleTimeout
/// and whose window has reset (one entry per channel ever written to would otherwise stay). In-flight and waiting
/// requests keep theirs; a dropped route is relearned on its next request.
/// </summary>
internal sealed class RestRateLimitPruningTask(DiscordRestClient rest) : IHousekeepingTask
{
    public string Name => "rest-rate-limit-pruning";

    public Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        rest.PruneRateLimits();
        return Task.CompletedTask;
    }
}
