using Cordial.Discord.Models;

namespace Cordial.Discord.Gateway;

/// <summary>CHANNEL_CREATE.</summary>
public sealed record ChannelCreateEvent(int ShardId, JsonChannel Channel) : GatewayEvent(ShardId);
