namespace Cordial.Discord.Gateway;

/// <summary>
/// Discord closed the gateway with a code that reconnecting cannot fix (4004, 4010–4014). The message says what to
/// change in the configuration. The client stops every shard and completes <see cref="GatewayClient.Events"/> with it.
/// </summary>
public sealed class GatewayFatalException : Exception
{
    public GatewayFatalException()
    {
    }

    public GatewayFatalException(string message)
        : base(message)
    {
    }

    public GatewayFatalException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public GatewayFatalException(int closeCode, int shardId, string message)
        : base(message)
    {
        CloseCode = closeCode;
        ShardId = shardId;
    }

    /// <summary>The WebSocket close code Discord sent.</summary>
    public int CloseCode { get; }

    /// <summary>The shard that received it.</summary>
    public int ShardId { get; }
}
