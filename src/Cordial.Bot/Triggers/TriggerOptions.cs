namespace Cordial.Bot.Triggers;

/// <summary>How the bot is triggered in a channel, beyond mentions, DMs, replies and its own threads.</summary>
public enum ChannelMode
{
    /// <summary>Only mentions, replies to the bot and the bot's threads (the default).</summary>
    Mention,

    /// <summary>Also messages containing one of the channel's keywords.</summary>
    Keyword,

    /// <summary>Every message.</summary>
    Every,
}

/// <summary>A channel's (or category's) trigger rule.</summary>
public sealed class ChannelTriggerOptions
{
    public ChannelMode Mode { get; set; } = ChannelMode.Mention;

    /// <summary>Words or phrases that trigger the bot in <see cref="ChannelMode.Keyword"/> mode (case-insensitive, whole words).</summary>
    public List<string> Keywords { get; set; } = [];

    /// <summary>Open a thread for each new conversation started in this channel.</summary>
    public bool OpenThread { get; set; }
}

/// <summary>Trigger rules (configuration section "Bot:Triggers"): per channel or category id, the rule applying there.</summary>
public sealed class TriggerOptions
{
    public Dictionary<ulong, ChannelTriggerOptions> Channels { get; set; } = [];

    public IEnumerable<string> Validate(string section = "Bot:Triggers")
    {
        foreach (var (id, rule) in Channels)
        {
            if (rule.Mode == ChannelMode.Keyword && !rule.Keywords.Any(k => !string.IsNullOrWhiteSpace(k)))
            {
                yield return $"{section}:Channels:{id}:Keywords must name at least one keyword when Mode is Keyword.";
            }
        }
    }
}
