namespace Cordial.Discord.Gateway;

/// <summary>A typed gateway dispatch, as read from <see cref="GatewayClient.Events"/>.</summary>
/// <param name="ShardId">The shard whose connection delivered it.</param>
public abstract record GatewayEvent(int ShardId)
{
    /// <summary>
    /// When the WebSocket frame that completed this dispatch was read: a <see cref="TimeProvider.GetTimestamp"/> value
    /// of the client's clock (0 for events not read from a connection). Measures the bot's own overhead from there.
    /// </summary>
    public long ReceivedTimestamp { get; internal set; }
}
