using Cordial.Bot.Delivery;
using Cordial.Discord.Rest;

namespace Cordial.Adapters;

/// <summary>A channel (or thread, or DM) as a reply surface over Discord REST; the REST client paces every call by the
/// channel's rate-limit bucket, so no call draws a 429.</summary>
internal sealed class RestReplySurface(DiscordRestClient rest, ulong channelId) : IReplySurface
{
    public ulong ChannelId => channelId;

    public ValueTask<bool> TryTriggerTypingAsync(TimeSpan maxWait, CancellationToken cancellationToken) =>
        rest.TryTriggerTypingAsync(channelId, maxWait, cancellationToken);

    public Task<ulong> SendAsync(OutgoingMessage message, CancellationToken cancellationToken) =>
        SendLatestAsync(() => message, cancellationToken);

    public Task EditAsync(ulong messageId, OutgoingMessage message, CancellationToken cancellationToken) =>
        EditLatestAsync(messageId, () => message, cancellationToken);

    public async Task<ulong> SendLatestAsync(Func<OutgoingMessage> latest, CancellationToken cancellationToken)
    {
        var created = await rest.CreateMessageAsync(channelId, () => RestWire.ToCreate(latest()), cancellationToken);
        return created.Id;
    }

    public Task EditLatestAsync(ulong messageId, Func<OutgoingMessage> latest, CancellationToken cancellationToken) =>
        rest.EditMessageAsync(channelId, messageId, () => RestWire.ToEdit(latest()), cancellationToken);
}
