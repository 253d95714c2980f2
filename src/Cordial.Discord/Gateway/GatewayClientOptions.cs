using System.Net;

namespace Cordial.Discord.Gateway;

/// <summary>
/// Settings of the gateway client. Validated when <see cref="GatewayClient"/> is constructed (see <see cref="Validate"/>);
/// the client copies them, so later edits have no effect.
/// </summary>
public sealed class GatewayClientOptions
{
    /// <summary>The default gateway when neither <see cref="GatewayUrl"/> nor GET /gateway/bot gives one.</summary>
    public const string DefaultGatewayUrl = "wss://gateway.discord.gg";

    /// <value>The bot token (with or without the "Bot " prefix). Required. Never logged.</value>
    public string Token { get; set; } = "";

    /// <value>Intents sent in IDENTIFY. Default: guilds, guild messages and direct messages. Add
    /// <see cref="GatewayIntents.MessageContent"/> only when the application has that privileged intent enabled.</value>
    public GatewayIntents Intents { get; set; } = GatewayIntents.Guilds | GatewayIntents.GuildMessages | GatewayIntents.DirectMessages;

    /// <value>Gateway URL override (e.g. an emulator). Null: the URL from GET /gateway/bot, else <see cref="DefaultGatewayUrl"/>.
    /// Must be wss://, or ws:// on a loopback host.</value>
    public Uri? GatewayUrl { get; set; }

    /// <value>Transport compression. Default <see cref="GatewayCompression.ZlibStream"/>.</value>
    public GatewayCompression Compression { get; set; } = GatewayCompression.ZlibStream;

    /// <value>Total number of shards. Null: Discord's recommendation from GET /gateway/bot (1 without it).</value>
    public int? ShardCount { get; set; }

    /// <value>First shard id this process runs. Default 0.</value>
    public int FirstShardId { get; set; }

    /// <value>Last shard id this process runs (inclusive). Null: the last shard (ShardCount - 1).</value>
    public int? LastShardId { get; set; }

    /// <value>Member count above which a guild is "large" and its offline members are not sent (50–250). Default 50.</value>
    public int LargeThreshold { get; set; } = 50;

    /// <value>The <c>properties</c> of IDENTIFY.</value>
    public GatewayIdentifyProperties IdentifyProperties { get; set; } = new();

    /// <value>Capacity of the <see cref="GatewayClient.Events"/> channel (shared by all shards). When it is full the read
    /// loops wait for the consumer. Default 1024.</value>
    public int EventQueueCapacity { get; set; } = 1024;

    /// <value>Largest payload accepted, compressed or decompressed, in bytes. Default 64 MiB.</value>
    public int MaxPayloadBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        var token = NormalizedToken(Token);
        if (token.Length == 0)
        {
            throw new ArgumentException("Gateway setting 'Token' is empty: set the bot token from the Discord Developer Portal (Bot → Token).", nameof(Token));
        }

        if (token.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException("Gateway setting 'Token' contains whitespace: paste the bot token exactly as the Developer Portal shows it.", nameof(Token));
        }

        if ((Intents & ~GatewayIntents.All) != 0)
        {
            throw new ArgumentException($"Gateway setting 'Intents' contains unknown bits ({(int)(Intents & ~GatewayIntents.All)}); use the named intents only.", nameof(Intents));
        }

        if (GatewayUrl is not null && ValidateGatewayUri(GatewayUrl) is { } urlError)
        {
            throw new ArgumentException($"Gateway setting 'GatewayUrl' is invalid: {urlError}", nameof(GatewayUrl));
        }

        if (ShardCount is < 1)
        {
            throw new ArgumentException($"Gateway setting 'ShardCount' must be at least 1 (was {ShardCount}); leave it unset to use Discord's recommendation.", nameof(ShardCount));
        }

        if (FirstShardId < 0)
        {
            throw new ArgumentException($"Gateway setting 'FirstShardId' must be 0 or more (was {FirstShardId}).", nameof(FirstShardId));
        }

        if (LastShardId is { } last && last < FirstShardId)
        {
            throw new ArgumentException($"Gateway setting 'LastShardId' ({last}) must not be below 'FirstShardId' ({FirstShardId}).", nameof(LastShardId));
        }

        if (ShardCount is { } count && (FirstShardId >= count || LastShardId >= count))
        {
            throw new ArgumentException($"Gateway settings 'FirstShardId'/'LastShardId' ({FirstShardId}..{LastShardId}) must be below 'ShardCount' ({count}).", nameof(ShardCount));
        }

        if (LargeThreshold is < 50 or > 250)
        {
            throw new ArgumentException($"Gateway setting 'LargeThreshold' must be between 50 and 250 (was {LargeThreshold}).", nameof(LargeThreshold));
        }

        if (IdentifyProperties is null || string.IsNullOrWhiteSpace(IdentifyProperties.Os) || string.IsNullOrWhiteSpace(IdentifyProperties.Browser) || string.IsNullOrWhiteSpace(IdentifyProperties.Device))
        {
            throw new ArgumentException("Gateway setting 'IdentifyProperties' needs a non-empty Os, Browser and Device.", nameof(IdentifyProperties));
        }

        if (EventQueueCapacity is < 1 or > 1_000_000)
        {
            throw new ArgumentException($"Gateway setting 'EventQueueCapacity' must be between 1 and 1000000 (was {EventQueueCapacity}).", nameof(EventQueueCapacity));
        }

        if (MaxPayloadBytes < 4096)
        {
            throw new ArgumentException($"Gateway setting 'MaxPayloadBytes' must be at least 4096 (was {MaxPayloadBytes}).", nameof(MaxPayloadBytes));
        }

        if (!Enum.IsDefined(Compression))
        {
            throw new ArgumentException($"Gateway setting 'Compression' has an unknown value ({(int)Compression}); use None or ZlibStream.", nameof(Compression));
        }
    }

    /// <summary>The token as IDENTIFY wants it: trimmed, without a "Bot " prefix.</summary>
    internal static string NormalizedToken(string? token)
    {
        var t = (token ?? "").Trim();
        if (t.Equals("Bot", StringComparison.OrdinalIgnoreCase))
        {
            return "";
        }

        return t.StartsWith("Bot ", StringComparison.OrdinalIgnoreCase) ? t[4..].Trim() : t;
    }

    /// <summary>Null when <paramref name="uri"/> may be used as a gateway address, else why not.</summary>
    internal static string? ValidateGatewayUri(Uri uri)
    {
        if (!uri.IsAbsoluteUri)
        {
            return $"'{uri}' is not an absolute URL.";
        }

        if (uri.Scheme == "wss")
        {
            return null;
        }

        if (uri.Scheme == "ws")
        {
            return IsLoopback(uri) ? null : $"'{uri.GetLeftPart(UriPartial.Authority)}' uses unencrypted ws://, which is allowed only for loopback hosts (127.0.0.1, ::1, localhost); use wss://.";
        }

        return $"'{uri.GetLeftPart(UriPartial.Authority)}' must use wss:// (or ws:// on a loopback host).";
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.IdnHost, out var ip) && IPAddress.IsLoopback(ip));
}
