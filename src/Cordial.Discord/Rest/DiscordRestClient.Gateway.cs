using Cordial.Discord.Models;

namespace Cordial.Discord.Rest;

public sealed partial class DiscordRestClient
{
    /// <summary>GET /gateway/bot: the gateway URL, recommended shards and session start limits.</summary>
    public Task<JsonGatewayBot> GetGatewayBotAsync(CancellationToken cancellationToken = default) =>
        SendAsync(Route.Create(HttpMethod.Get, $"gateway/bot"), null, DiscordJsonContext.Default.JsonGatewayBot, cancellationToken);
}
