using Cordial.Discord.Gateway;

namespace Cordial.Configuration;

/// <summary>How the bot connects to Discord (configuration section "Discord"). Read once at start: changes need a restart.</summary>
public sealed class DiscordOptions
{
    public const string SectionName = "Discord";

    /// <summary>The bot token (Developer Portal → Bot → Token). Empty: the sandbox starts instead of the bot. Never logged.</summary>
    public string? Token { get; set; }

    /// <summary>Gateway intents besides <see cref="MessageContent"/>.</summary>
    /// <value>Default Guilds, GuildMessages, DirectMessages.</value>
    public GatewayIntents Intents { get; set; } = GatewayIntents.Guilds | GatewayIntents.GuildMessages | GatewayIntents.DirectMessages;

    /// <summary>Ask for the privileged MESSAGE_CONTENT intent (enable it in the Developer Portal too). Without it the bot
    /// only sees the content of messages that mention it, DMs and replies to it.</summary>
    /// <value>Default true.</value>
    public bool MessageContent { get; set; } = true;

    /// <summary>Discord's REST API root.</summary>
    /// <value>Default https://discord.com/api/v10/.</value>
    public string RestBaseUrl { get; set; } = "https://discord.com/api/v10/";

    /// <summary>Gateway URL override; null: the URL from GET /gateway/bot.</summary>
    public string? GatewayUrl { get; set; }

    /// <summary>Gateway transport compression: ZlibStream or None.</summary>
    /// <value>Default ZlibStream.</value>
    public GatewayCompression Compression { get; set; } = GatewayCompression.ZlibStream;

    /// <summary>Total shards; null: Discord's recommendation.</summary>
    public int? ShardCount { get; set; }

    /// <summary>First shard id this process runs.</summary>
    /// <value>Default 0.</value>
    public int FirstShardId { get; set; }

    /// <summary>Last shard id this process runs (inclusive); null: the last shard.</summary>
    public int? LastShardId { get; set; }

    /// <summary>When set, slash commands are registered in this guild only (instant, for development); else globally.</summary>
    public ulong? DevelopmentGuildId { get; set; }

    /// <summary>Register the slash commands when the bot connects.</summary>
    /// <value>Default true.</value>
    public bool RegisterCommands { get; set; } = true;

    /// <summary>Events handled at the same time, across channels (the events of one channel are always handled in order).</summary>
    /// <value>Default 64; 1 to 1,024.</value>
    public int EventHandlers { get; set; } = 64;

    /// <summary>Events waiting to be handled, all channels together, before the gateway reader waits (backpressure).</summary>
    /// <value>Default 4,096; 1 to 100,000.</value>
    public int EventQueueCapacity { get; set; } = 4096;

    /// <summary>Longest time one event may be handled before it is cancelled (answers themselves run in the background).</summary>
    /// <value>Default 30 seconds; 1 second to 10 minutes.</value>
    public TimeSpan EventTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Channels and threads remembered (names, parents, owners).</summary>
    /// <value>Default 100,000.</value>
    public int ChannelCacheSize { get; set; } = 100_000;

    /// <summary>The intents actually sent in IDENTIFY.</summary>
    public GatewayIntents EffectiveIntents => MessageContent ? Intents | GatewayIntents.MessageContent : Intents & ~GatewayIntents.MessageContent;

    /// <summary>The token without surrounding space and without a leading "Bot ".</summary>
    internal string NormalizedToken
    {
        get
        {
            var token = (Token ?? "").Trim();
            return token.StartsWith("Bot ", StringComparison.OrdinalIgnoreCase) ? token[4..].Trim() : token;
        }
    }

    /// <summary>Whether a token is configured (otherwise `cordial run` starts the sandbox).</summary>
    public bool HasToken => !string.IsNullOrWhiteSpace(Token);

    /// <summary>Every problem, each naming its setting; empty when valid. The token is checked only when <paramref name="requireToken"/>.</summary>
    public IEnumerable<string> Validate(bool requireToken, string section = SectionName)
    {
        if (requireToken && !HasToken)
        {
            yield return $"{section}:Token is required (the bot token from the Discord Developer Portal → Bot → Token).";
        }
        else if (HasToken && NormalizedToken.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            yield return $"{section}:Token contains whitespace: paste it exactly as the Developer Portal shows it.";
        }

        if (!Uri.TryCreate(RestBaseUrl, UriKind.Absolute, out var rest) || rest.Scheme is not ("https" or "http"))
        {
            yield return $"{section}:RestBaseUrl must be an absolute http(s) URL such as https://discord.com/api/v10/ (was '{RestBaseUrl}').";
        }
        else
        {
            if (rest.Scheme == "http" && !rest.IsLoopback)
            {
                yield return $"{section}:RestBaseUrl '{RestBaseUrl}' must use https (plain http only for loopback hosts).";
            }

            if (!rest.AbsolutePath.EndsWith('/'))
            {
                yield return $"{section}:RestBaseUrl '{RestBaseUrl}' must end with a slash.";
            }
        }

        if (!string.IsNullOrWhiteSpace(GatewayUrl))
        {
            if (!Uri.TryCreate(GatewayUrl, UriKind.Absolute, out var gateway) || gateway.Scheme is not ("wss" or "ws"))
            {
                yield return $"{section}:GatewayUrl must be a wss:// URL (or ws:// on a loopback host) (was '{GatewayUrl}').";
            }
            else if (gateway.Scheme == "ws" && !gateway.IsLoopback)
            {
                yield return $"{section}:GatewayUrl '{GatewayUrl}' uses ws://, which is allowed only for loopback hosts; use wss://.";
            }
        }

        if ((Intents & ~GatewayIntents.All) != 0)
        {
            yield return $"{section}:Intents contains unknown bits; use intent names such as \"Guilds, GuildMessages, DirectMessages\".";
        }

        if (!Enum.IsDefined(Compression))
        {
            yield return $"{section}:Compression must be ZlibStream or None.";
        }

        if (ShardCount is < 1)
        {
            yield return $"{section}:ShardCount must be at least 1 (was {ShardCount}); leave it unset for Discord's recommendation.";
        }

        if (FirstShardId < 0)
        {
            yield return $"{section}:FirstShardId must be 0 or more (was {FirstShardId}).";
        }

        if (LastShardId is { } last && last < FirstShardId)
        {
            yield return $"{section}:LastShardId ({last}) must not be below {section}:FirstShardId ({FirstShardId}).";
        }

        if (ShardCount is { } count && (FirstShardId >= count || LastShardId >= count))
        {
            yield return $"{section}:FirstShardId/LastShardId must be below {section}:ShardCount ({count}).";
        }

        if (DevelopmentGuildId == 0)
        {
            yield return $"{section}:DevelopmentGuildId must be a guild id (leave it unset to register commands globally).";
        }

        if (EventHandlers is < 1 or > 1024)
        {
            yield return $"{section}:EventHandlers must be from 1 to 1,024 (was {EventHandlers}).";
        }

        if (EventQueueCapacity is < 1 or > 100_000)
        {
            yield return $"{section}:EventQueueCapacity must be from 1 to 100,000 (was {EventQueueCapacity}).";
        }

        if (EventTimeout < TimeSpan.FromSeconds(1) || EventTimeout > TimeSpan.FromMinutes(10))
        {
            yield return $"{section}:EventTimeout must be from 00:00:01 to 00:10:00 (was {EventTimeout}).";
        }

        if (ChannelCacheSize is < 100 or > 10_000_000)
        {
            yield return $"{section}:ChannelCacheSize must be from 100 to 10,000,000 (was {ChannelCacheSize}).";
        }
    }
}
