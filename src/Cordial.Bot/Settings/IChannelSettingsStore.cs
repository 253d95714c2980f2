namespace Cordial.Bot.Settings;

/// <summary>Persisted per-channel settings (persona, model) set with slash commands. Thread-safe.</summary>
public interface IChannelSettingsStore
{
    /// <summary>The channel's settings, or <see cref="ChannelSettings.Empty"/>.</summary>
    ValueTask<ChannelSettings> GetAsync(ulong channelId, CancellationToken cancellationToken);

    /// <summary>Replaces the channel's settings (both fields null removes them).</summary>
    Task SetAsync(ulong channelId, ChannelSettings settings, CancellationToken cancellationToken);
}
