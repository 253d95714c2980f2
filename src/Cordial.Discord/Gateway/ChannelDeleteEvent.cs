using Cordial.Discord.Models;

namespace Cordial.Discord.Gateway;

/// <summary>CHANNEL_DELETE.</summary>
public sealed record ChannelDeleteEvent(int ShardId, JsonChannel Channel) : GatewayEvent(ShardId);
