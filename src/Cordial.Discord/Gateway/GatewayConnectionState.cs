namespace Cordial.Discord.Gateway;

/// <summary>Where a shard's connection stands (for /health and logs).</summary>
public enum GatewayConnectionState
{
    /// <summary>Not started yet.</summary>
    Disconnected = 0,

    /// <summary>Opening the WebSocket.</summary>
    Connecting = 1,

    /// <summary>Sent IDENTIFY, waiting for READY.</summary>
    Identifying = 2,

    /// <summary>Sent RESUME, waiting for the replay and RESUMED.</summary>
    Resuming = 3,

    /// <summary>Session established: dispatches flow.</summary>
    Ready = 4,

    /// <summary>Lost the connection; waiting for the next attempt.</summary>
    Reconnecting = 5,

    /// <summary>Stopped on request.</summary>
    Stopped = 6,

    /// <summary>Stopped for good after a fatal close code (see <see cref="GatewayShardStatus.FatalError"/>).</summary>
    Failed = 7,
}
