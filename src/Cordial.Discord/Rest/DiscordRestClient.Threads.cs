using Cordial.Discord.Models;

namespace Cordial.Discord.Rest;

public sealed partial class DiscordRestClient
{
    /// <summary>POST /channels/{channel}/messages/{message}/threads: a thread whose starter is that message.</summary>
    public Task<JsonChannel> StartThreadFromMessageAsync(ulong channelId, ulong messageId, ThreadCreate thread, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(thread);
        return SendAsync(Route.Create(HttpMethod.Post, $"channels/{channelId}/messages/{messageId}/threads"), Json(thread, RestJsonContext.Default.ThreadCreate), DiscordJsonContext.Default.JsonChannel, cancellationToken);
    }

    /// <summary>POST /channels/{channel}/threads: a thread without a starter message (public unless <see cref="ThreadCreate.Type"/> says otherwise).</summary>
    public Task<JsonChannel> StartThreadAsync(ulong channelId, ThreadCreate thread, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(thread);
        thread.Type ??= ChannelType.PublicThread;
        return SendAsync(Route.Create(HttpMethod.Post, $"channels/{channelId}/threads"), Json(thread, RestJsonContext.Default.ThreadCreate), DiscordJsonContext.Default.JsonChannel, cancellationToken);
    }
}
