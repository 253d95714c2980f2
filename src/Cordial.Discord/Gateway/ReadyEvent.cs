using Cordial.Discord.Models;

namespace Cordial.Discord.Gateway;

/// <summary>READY: a new session (user, guild ids, session id).</summary>
public sealed record ReadyEvent(int ShardId, JsonReady Ready) : GatewayEvent(ShardId);
