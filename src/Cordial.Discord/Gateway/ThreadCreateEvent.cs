using Cordial.Discord.Models;

namespace Cordial.Discord.Gateway;

/// <summary>THREAD_CREATE (also sent when the bot is added to a private thread).</summary>
public sealed record ThreadCreateEvent(int ShardId, JsonChannel Thread) : GatewayEvent(ShardId);
