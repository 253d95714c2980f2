using Cordial.Bot.Delivery;
using Cordial.Bot.Messages;
using Cordial.Bot.Responding;
using Cordial.Discord.Rest;

namespace Cordial.Adapters;

/// <summary>Reply surfaces and bot-opened threads over Discord REST.</summary>
internal sealed class RestChannelSurfaces(DiscordRestClient rest, GuildCache cache, BotIdentity identity) : IChannelSurfaces
{
    public IReplySurface For(ChannelInfo channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return new RestReplySurface(rest, channel.Id);
    }

    public async Task<ChannelInfo> StartThreadAsync(IncomingMessage message, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var thread = await rest.StartThreadFromMessageAsync(message.ChannelId, message.Id, new ThreadCreate(name) { AutoArchiveDuration = 1440 }, cancellationToken);
        thread.GuildId ??= message.GuildId;
        thread.ParentId ??= message.ChannelId;
        thread.OwnerId ??= identity.UserId;
        cache.AddChannel(thread);
        return cache.Find(thread.Id) ?? new ChannelInfo(thread.Id, ChannelKind.Thread, message.GuildId, message.ChannelId, message.Channel.CategoryId)
        {
            ThreadOwnerId = identity.UserId,
            GuildName = message.Channel.GuildName,
            Name = thread.Name,
        };
    }
}
