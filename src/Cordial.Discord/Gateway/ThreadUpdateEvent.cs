using Cordial.Discord.Models;

namespace Cordial.Discord.Gateway;

/// <summary>THREAD_UPDATE.</summary>
public sealed record ThreadUpdateEvent(int ShardId, JsonChannel Thread) : GatewayEvent(ShardId);
