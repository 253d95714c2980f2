using Cordial.Bot.Messages;
using Cordial.Discord.Models;
using Cordial.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace Cordial.Adapters;

/// <summary>
/// Gives any channel id its <see cref="ChannelInfo"/>: from the <see cref="GuildCache"/>, else (once) from REST,
/// else a best guess from the message (a guild text channel, or a DM when there is no guild).
/// </summary>
internal sealed partial class ChannelDirectory(GuildCache cache, DiscordRestClient rest, ILogger<ChannelDirectory> logger)
{
    public GuildCache Cache => cache;

    public async ValueTask<ChannelInfo> GetAsync(ulong channelId, ulong? guildId, CancellationToken cancellationToken)
    {
        if (cache.Find(channelId) is { } known)
        {
            return known;
        }

        try
        {
            var channel = await rest.GetChannelAsync(channelId, cancellationToken);
            channel.GuildId ??= guildId;
            cache.AddChannel(channel);
            if (channel.ParentId is { } parent && !cache.Contains(parent) && channel.Type is ChannelType.PublicThread or ChannelType.PrivateThread or ChannelType.AnnouncementThread)
            {
                // The thread's channel gives its category (channel rules on a category cover threads in it).
                var parentChannel = await rest.GetChannelAsync(parent, cancellationToken);
                parentChannel.GuildId ??= channel.GuildId;
                cache.AddChannel(parentChannel);
            }

            if (cache.Find(channelId) is { } fetched)
            {
                return fetched;
            }
        }
        catch (Exception ex) when (ex is DiscordRestException or HttpRequestException)
        {
            Log.ChannelUnknown(logger, channelId, ex.Message);
        }

        return guildId is null
            ? new ChannelInfo(channelId, ChannelKind.DirectMessage)
            : new ChannelInfo(channelId, ChannelKind.GuildText, guildId);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Channel {ChannelId} could not be read ({Reason}); treating it as a plain channel")]
        public static partial void ChannelUnknown(ILogger logger, ulong channelId, string reason);
    }
}
