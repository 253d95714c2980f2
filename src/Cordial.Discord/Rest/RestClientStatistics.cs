namespace Cordial.Discord.Rest;

/// <summary>A snapshot of <see cref="DiscordRestClient"/>'s counters (for /metrics).</summary>
/// <param name="Requests">HTTP requests sent since start (retries included).</param>
/// <param name="TooManyRequests">429 responses received since start (the target is zero).</param>
/// <param name="Retries">Requests repeated after a 429, a 5xx or a network failure.</param>
/// <param name="InvalidRequests">401, 403 and non-shared 429 responses in the last ten minutes (Discord bans at 10,000).</param>
/// <param name="Buckets">Rate-limit buckets currently learned.</param>
/// <param name="Routes">Routes currently tracked.</param>
public readonly record struct RestClientStatistics(long Requests, long TooManyRequests, long Retries, int InvalidRequests, int Buckets, int Routes);
