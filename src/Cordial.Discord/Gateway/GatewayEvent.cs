namespace Cordial.Discord.Gateway;

/// <summary>A typed gateway dispatch, as read from <see cref="GatewayClient.Events"/>.</summary>
/// <param name="ShardId">The shard whose connection delivered it.</param>
public abstract record GatewayEvent(int ShardId);
