namespace Cordial.Discord.Gateway;

/// <summary>RESUMED: the session was resumed and every missed dispatch has been replayed before this event.</summary>
public sealed record ResumedEvent(int ShardId) : GatewayEvent(ShardId);
