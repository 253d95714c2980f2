using System.Collections.Concurrent;
using Cordial.Bot.Collections;
using Cordial.Bot.Messages;
using Cordial.Discord.Models;

namespace Cordial.Adapters;

/// <summary>
/// What the bot knows about guilds and channels from the gateway (GUILD_CREATE, CHANNEL_*, THREAD_*): enough to give
/// every message its <see cref="ChannelInfo"/> (kind, guild, parent channel, category, names, thread owner).
/// Bounded: channels are kept in an LRU of <c>Discord:ChannelCacheSize</c>; guild names are few.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class GuildCache(int channelCapacity = 100_000)
{
    private const int MaxGuilds = 100_000;

    private readonly LruCache<ulong, CachedChannel> _channels = new(channelCapacity);
    private readonly ConcurrentDictionary<ulong, string> _guildNames = new();

    /// <summary>Channels currently cached.</summary>
    public int ChannelCount => _channels.Count;

    /// <summary>Guilds currently known.</summary>
    public int GuildCount => _guildNames.Count;

    public void AddGuild(JsonGuild guild)
    {
        ArgumentNullException.ThrowIfNull(guild);
        if (guild.Unavailable == true)
        {
            return;
        }

        if (guild.Name is { } name && (_guildNames.Count < MaxGuilds || _guildNames.ContainsKey(guild.Id)))
        {
            _guildNames[guild.Id] = name;
        }

        foreach (var channel in guild.Channels ?? [])
        {
            channel.GuildId ??= guild.Id;
            AddChannel(channel);
        }

        foreach (var thread in guild.Threads ?? [])
        {
            thread.GuildId ??= guild.Id;
            AddChannel(thread);
        }
    }

    public void RemoveGuild(ulong guildId) => _guildNames.TryRemove(guildId, out _);

    public void AddChannel(JsonChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _channels.Set(channel.Id, new CachedChannel(channel.Id, channel.Type, channel.GuildId, channel.ParentId, channel.OwnerId, channel.Name));
    }

    public void RemoveChannel(ulong channelId) => _channels.Remove(channelId);

    public bool Contains(ulong channelId) => _channels.TryGet(channelId, out _);

    /// <summary>
    /// The channel as the bot's brain sees it; null when the channel is unknown (the caller may fetch it).
    /// </summary>
    public ChannelInfo? Find(ulong channelId)
    {
        if (!_channels.TryGet(channelId, out var channel))
        {
            return null;
        }

        var guildName = channel.GuildId is { } g && _guildNames.TryGetValue(g, out var n) ? n : null;
        if (channel.Type is ChannelType.DirectMessage or ChannelType.GroupDirectMessage)
        {
            return new ChannelInfo(channel.Id, ChannelKind.DirectMessage) { Name = channel.Name };
        }

        if (channel.Type is ChannelType.PublicThread or ChannelType.PrivateThread or ChannelType.AnnouncementThread)
        {
            ulong? category = channel.ParentId is { } parent && _channels.TryGet(parent, out var parentChannel) ? parentChannel.ParentId : null;
            return new ChannelInfo(channel.Id, ChannelKind.Thread, channel.GuildId, channel.ParentId, category)
            {
                ThreadOwnerId = channel.OwnerId,
                GuildName = guildName,
                Name = channel.Name,
            };
        }

        return new ChannelInfo(channel.Id, ChannelKind.GuildText, channel.GuildId, null, channel.ParentId)
        {
            GuildName = guildName,
            Name = channel.Name,
        };
    }

    private sealed record CachedChannel(ulong Id, ChannelType Type, ulong? GuildId, ulong? ParentId, ulong? OwnerId, string? Name);
}
