namespace Cordial.Emulator.Discord;

/// <summary>Settings of the Discord-compatible emulator. Read once when the emulator is created.</summary>
public sealed class DiscordEmulatorOptions
{
    /// <summary>When set, only this token (and tokens of bots registered explicitly) is accepted.</summary>
    /// <value>Null by default: any well-formed token is accepted and registers a bot on first use.</value>
    public string? FixedBotToken { get; set; }

    /// <summary>Heartbeat interval announced in HELLO.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMilliseconds(41250);

    /// <summary>Message creates plus edits allowed per channel per <see cref="MessageBucketWindow"/> (one shared bucket).</summary>
    public int MessageBucketLimit { get; set; } = 5;

    /// <summary>Window of the per-channel message bucket.</summary>
    public TimeSpan MessageBucketWindow { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>REST requests per second per bot token; interaction endpoints are exempt.</summary>
    public int GlobalRequestsPerSecond { get; set; } = 50;

    /// <summary>Client payloads allowed per gateway connection per <see cref="GatewaySendWindow"/>; over it the connection is closed with 4008.</summary>
    public int GatewaySendLimit { get; set; } = 120;

    /// <summary>Window of the gateway send limit.</summary>
    public TimeSpan GatewaySendWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Dispatches kept per session so that a RESUME can replay them.</summary>
    public int ResumeBufferSize { get; set; } = 1000;

    /// <summary>The <c>max_concurrency</c> reported by GET /gateway/bot.</summary>
    public int MaxConcurrency { get; set; } = 1;

    /// <summary>The <c>shards</c> count reported by GET /gateway/bot.</summary>
    public int RecommendedShards { get; set; } = 1;

    /// <summary>
    /// Largest file a simulated user may attach (<see cref="DiscordEmulator.PostMessageAsync"/> and the control API);
    /// larger ones are refused with a message naming the file and the limit (HTTP 413).
    /// </summary>
    /// <value>Default 10 MiB, Discord's upload limit for accounts without Nitro. Bots' REST uploads keep the 25 MiB body limit.</value>
    public long UserUploadLimit { get; set; } = 10L * 1024 * 1024;

    /// <summary>Clock for timestamps, snowflakes and rate-limit windows.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatInterval, TimeSpan.Zero, nameof(HeartbeatInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(MessageBucketLimit, 1, nameof(MessageBucketLimit));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MessageBucketWindow, TimeSpan.Zero, nameof(MessageBucketWindow));
        ArgumentOutOfRangeException.ThrowIfLessThan(GlobalRequestsPerSecond, 1, nameof(GlobalRequestsPerSecond));
        ArgumentOutOfRangeException.ThrowIfLessThan(GatewaySendLimit, 1, nameof(GatewaySendLimit));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(GatewaySendWindow, TimeSpan.Zero, nameof(GatewaySendWindow));
        ArgumentOutOfRangeException.ThrowIfLessThan(ResumeBufferSize, 1, nameof(ResumeBufferSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrency, 1, nameof(MaxConcurrency));
        ArgumentOutOfRangeException.ThrowIfLessThan(RecommendedShards, 1, nameof(RecommendedShards));
        ArgumentOutOfRangeException.ThrowIfLessThan(UserUploadLimit, 1, nameof(UserUploadLimit));
        ArgumentNullException.ThrowIfNull(TimeProvider);
        if (FixedBotToken is not null && !DiscordEmulator.IsWellFormedToken(FixedBotToken))
        {
            throw new ArgumentException("FixedBotToken must be 1-200 characters of letters, digits, '.', '_' or '-'.", nameof(FixedBotToken));
        }
    }
}
