using Cordial.Discord.Models;

namespace Cordial.Discord.Gateway;

/// <summary>MESSAGE_DELETE.</summary>
public sealed record MessageDeleteEvent(int ShardId, JsonMessageDelete Deletion) : GatewayEvent(ShardId);
