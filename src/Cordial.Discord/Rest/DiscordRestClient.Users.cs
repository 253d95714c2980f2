using Cordial.Discord.Models;

namespace Cordial.Discord.Rest;

public sealed partial class DiscordRestClient
{
    /// <summary>GET /users/@me: the bot's own user.</summary>
    public Task<JsonUser> GetCurrentUserAsync(CancellationToken cancellationToken = default) =>
        SendAsync(Route.Create(HttpMethod.Get, $"users/@me"), null, DiscordJsonContext.Default.JsonUser, cancellationToken);
}
