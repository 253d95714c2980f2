using Cordial.Discord.Models;

namespace Cordial.Discord.Gateway;

/// <summary>CHANNEL_UPDATE.</summary>
public sealed record ChannelUpdateEvent(int ShardId, JsonChannel Channel) : GatewayEvent(ShardId);
