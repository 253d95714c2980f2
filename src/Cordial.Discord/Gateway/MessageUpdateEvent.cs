using Cordial.Discord.Models;

namespace Cordial.Discord.Gateway;

/// <summary>MESSAGE_UPDATE (a partial message: only id and channel_id are guaranteed).</summary>
public sealed record MessageUpdateEvent(int ShardId, JsonMessage Message) : GatewayEvent(ShardId);
