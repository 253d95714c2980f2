namespace Cordial.Discord.Gateway;

/// <summary>What every shard of one client shares: the validated options and the injected seams.</summary>
internal sealed record GatewayShardSettings(
    string Token,
    GatewayIntents Intents,
    GatewayCompression Compression,
    int LargeThreshold,
    GatewayIdentifyProperties IdentifyProperties,
    int MaxPayloadBytes,
    int ShardCount,
    Uri GatewayUri,
    IdentifyGate IdentifyGate,
    IReconnectStrategy ReconnectStrategy,
    TimeProvider Time,
    Func<double> Random)
{
    /// <summary>How long to wait for the WebSocket handshake.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for HELLO after connecting.</summary>
    public TimeSpan HelloTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
