namespace Cordial.Discord.Gateway;

/// <summary>A snapshot of one shard, for /health and diagnostics.</summary>
/// <param name="ShardId">The shard id.</param>
/// <param name="State">Connection state.</param>
/// <param name="Latency">Time from the last heartbeat to its ACK; null before the first ACK.</param>
/// <param name="Identifies">IDENTIFY payloads sent (new sessions).</param>
/// <param name="Resumes">Sessions resumed (RESUMED received).</param>
/// <param name="Reconnects">Connections lost or replaced (any reason).</param>
/// <param name="UnknownEvents">Dispatches with an event name the client does not handle (ignored).</param>
/// <param name="MalformedFrames">Frames or payloads that could not be decoded (survived and skipped).</param>
/// <param name="LastCloseCode">The last close code received from Discord, if any.</param>
/// <param name="FatalError">When <see cref="State"/> is Failed: what to fix.</param>
public sealed record GatewayShardStatus(
    int ShardId,
    GatewayConnectionState State,
    TimeSpan? Latency,
    long Identifies,
    long Resumes,
    long Reconnects,
    long UnknownEvents,
    long MalformedFrames,
    int? LastCloseCode,
    string? FatalError);
