using Cordial.Discord.Models;

namespace Cordial.Discord.Gateway;

/// <summary>INTERACTION_CREATE (answer within 3 s).</summary>
public sealed record InteractionCreateEvent(int ShardId, JsonInteraction Interaction) : GatewayEvent(ShardId);
