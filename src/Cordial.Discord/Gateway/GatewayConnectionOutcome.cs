namespace Cordial.Discord.Gateway;

/// <summary>How one connection ended and what the shard does next.</summary>
/// <param name="Reason">For the log (never content or tokens).</param>
/// <param name="Resume">Whether the session may be resumed.</param>
/// <param name="Delay">A delay the protocol asks for (INVALID_SESSION); null: the reconnect strategy decides.</param>
/// <param name="FatalMessage">Set for fatal close codes: the shard stops with this message.</param>
/// <param name="CloseCode">The close code received, if any.</param>
internal sealed record GatewayConnectionOutcome(string Reason, bool Resume, TimeSpan? Delay = null, string? FatalMessage = null, int? CloseCode = null);
