namespace Cordial.Discord.Gateway;

/// <summary>What each gateway close code means for the client.</summary>
public static class GatewayCloseCodes
{
    public const int UnknownError = 4000;
    public const int UnknownOpcode = 4001;
    public const int DecodeError = 4002;
    public const int NotAuthenticated = 4003;
    public const int AuthenticationFailed = 4004;
    public const int AlreadyAuthenticated = 4005;
    public const int InvalidSequence = 4007;
    public const int RateLimited = 4008;
    public const int SessionTimedOut = 4009;
    public const int InvalidShard = 4010;
    public const int ShardingRequired = 4011;
    public const int InvalidApiVersion = 4012;
    public const int InvalidIntents = 4013;
    public const int DisallowedIntents = 4014;

    /// <summary>For a fatal code (4004, 4010–4014): what went wrong and what to change. Null for any other code.</summary>
    public static string? DescribeFatal(int closeCode) => closeCode switch
    {
        AuthenticationFailed => "Discord rejected the bot token (close 4004). Check the token in your configuration.",
        InvalidShard => "Discord rejected the shard settings (close 4010): the shard id must be below the shard count. Check FirstShardId, LastShardId and ShardCount in the gateway configuration.",
        ShardingRequired => "Discord requires more shards for this bot (close 4011): it is in too many guilds for the configured shard count. Leave ShardCount unset so Cordial uses Discord's recommendation, or raise it.",
        InvalidApiVersion => "Discord does not accept this gateway API version (close 4012). Cordial speaks gateway v10; update Cordial.",
        InvalidIntents => "Discord rejected the intents value (close 4013): the configured Intents contain an invalid bit. Check the Intents setting.",
        DisallowedIntents => "Discord refused a privileged intent (close 4014): enable the Message Content intent for this application in the Developer Portal, or turn it off in Cordial's configuration. (The same applies to the Server Members and Presence intents if you configured them.)",
        _ => null,
    };

    /// <summary>Codes after which the session cannot be resumed and a fresh IDENTIFY is needed.</summary>
    public static bool RequiresNewSession(int closeCode) => closeCode is InvalidSequence or SessionTimedOut;
}
