using Cordial.Discord.Models;

namespace Cordial.Discord.Gateway;

/// <summary>MESSAGE_CREATE.</summary>
public sealed record MessageCreateEvent(int ShardId, JsonMessage Message) : GatewayEvent(ShardId);
