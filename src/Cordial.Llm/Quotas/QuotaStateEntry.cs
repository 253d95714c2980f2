namespace Cordial.Llm.Quotas;

/// <summary>
/// The stored state of one identity: for each limit, the instant (UTC ticks, <see cref="DateTimeOffset.UtcTicks"/>)
/// its bucket is full again; 0 = full.
/// </summary>
/// <param name="Scope">User, guild or provider.</param>
/// <param name="Key">The user or guild id (decimal), or the provider name (lower case).</param>
public readonly record struct QuotaStateEntry(
    QuotaScope Scope,
    string Key,
    long RequestsPerMinute,
    long RequestsPerDay,
    long TokensPerMinute,
    long TokensPerDay)
{
    /// <summary>When every bucket is full again (UTC ticks): from then on the entry can be forgotten.</summary>
    public long IdleAt => Math.Max(Math.Max(RequestsPerMinute, RequestsPerDay), Math.Max(TokensPerMinute, TokensPerDay));
}
