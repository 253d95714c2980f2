using Cordial.Discord.Models;

namespace Cordial.Discord.Rest;

public sealed partial class DiscordRestClient
{
    /// <summary>PUT /applications/{application}/commands: replaces every global command.</summary>
    public Task<JsonApplicationCommand[]> BulkOverwriteGlobalCommandsAsync(ulong applicationId, IReadOnlyList<JsonApplicationCommand> commands, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var body = commands.ToArray();
        return SendAsync(Route.Create(HttpMethod.Put, $"applications/{applicationId}/commands"), Json(body, DiscordJsonContext.Default.JsonApplicationCommandArray), DiscordJsonContext.Default.JsonApplicationCommandArray, cancellationToken);
    }

    /// <summary>PUT /applications/{application}/guilds/{guild}/commands: replaces every command of one guild.</summary>
    public Task<JsonApplicationCommand[]> BulkOverwriteGuildCommandsAsync(ulong applicationId, ulong guildId, IReadOnlyList<JsonApplicationCommand> commands, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var body = commands.ToArray();
        return SendAsync(Route.Create(HttpMethod.Put, $"applications/{applicationId}/guilds/{guildId}/commands"), Json(body, DiscordJsonContext.Default.JsonApplicationCommandArray), DiscordJsonContext.Default.JsonApplicationCommandArray, cancellationToken);
    }
}
