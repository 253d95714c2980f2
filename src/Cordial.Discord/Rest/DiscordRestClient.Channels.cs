using System.Globalization;
using System.Text;
using Cordial.Discord.Models;

namespace Cordial.Discord.Rest;

public sealed partial class DiscordRestClient
{
    /// <summary>GET /channels/{id}.</summary>
    public Task<JsonChannel> GetChannelAsync(ulong channelId, CancellationToken cancellationToken = default) =>
        SendAsync(Route.Create(HttpMethod.Get, $"channels/{channelId}"), null, DiscordJsonContext.Default.JsonChannel, cancellationToken);

    /// <summary>
    /// GET /channels/{id}/messages: up to <paramref name="limit"/> (1–100) messages, newest first, around, before
    /// or after a message (at most one of the three).
    /// </summary>
    public Task<JsonMessage[]> GetMessagesAsync(ulong channelId, int limit = 50, ulong? before = null, ulong? after = null, ulong? around = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 100);
        if ((before is null ? 0 : 1) + (after is null ? 0 : 1) + (around is null ? 0 : 1) > 1)
        {
            throw new ArgumentException("Use at most one of before, after and around.");
        }

        var query = new StringBuilder("?limit=").Append(limit.ToString(CultureInfo.InvariantCulture));
        AppendQuery(query, "before", before);
        AppendQuery(query, "after", after);
        AppendQuery(query, "around", around);
        var route = Route.Create(HttpMethod.Get, $"channels/{channelId}/messages").WithQuery(query.ToString());
        return SendAsync(route, null, DiscordJsonContext.Default.JsonMessageArray, cancellationToken);
    }

    /// <summary>POST /channels/{id}/typing: shows "Bot is typing…" for about ten seconds.</summary>
    public Task TriggerTypingAsync(ulong channelId, CancellationToken cancellationToken = default) =>
        SendAsync(Route.Create(HttpMethod.Post, $"channels/{channelId}/typing"), null, cancellationToken);

    /// <summary>
    /// POST /channels/{id}/typing as a best-effort call: skipped when Discord's rate limits (the channel's typing bucket,
    /// the global 50 requests/s) would hold it longer than <paramref name="maxWait"/>. It is refused at once, queueing
    /// nowhere, when a permit clearly cannot come in time (the requests ahead already claim every permit the global limit
    /// gives back within <paramref name="maxWait"/>; the bucket is empty or paused by a 429 until later), else when
    /// <paramref name="maxWait"/> passes while it waits. A skip throws nothing; it is not a failure.
    /// </summary>
    /// <returns>True when Discord took the indicator; false when it was skipped for rate limits (nothing sent).</returns>
    /// <exception cref="DiscordRestException">Discord refused the request (as for <see cref="TriggerTypingAsync"/>).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public ValueTask<bool> TryTriggerTypingAsync(ulong channelId, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWait, TimeSpan.Zero);
        return TrySendAsync(Route.Create(HttpMethod.Post, $"channels/{channelId}/typing"), maxWait, cancellationToken);
    }

    private static void AppendQuery(StringBuilder query, string name, ulong? value)
    {
        if (value is { } id)
        {
            query.Append('&').Append(name).Append('=').Append(id.ToString(CultureInfo.InvariantCulture));
        }
    }
}
