namespace Cordial.Emulator.Discord;

/// <summary>Counters for one bot.</summary>
/// <param name="InvalidRequests">401/403/429 responses in the last 10 minutes (shared-scope 429s excluded), as Discord counts them.</param>
/// <param name="RequestsByRoute">REST requests per route shape ("PATCH /channels/{channel_id}/messages/{message_id}").</param>
public sealed record EmulatorStats(
    long RestRequests,
    long TooManyRequests,
    long GlobalRateLimitHits,
    long InvalidRequests,
    long GatewayConnections,
    long Identifies,
    long Resumes,
    long GatewaySendsRejected,
    IReadOnlyDictionary<string, long> RequestsByRoute);
