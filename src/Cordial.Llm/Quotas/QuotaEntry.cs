namespace Cordial.Llm.Quotas;

/// <summary>
/// The quota state of one user, guild or provider: for each <see cref="QuotaLimit"/> the instant (UTC ticks) its
/// bucket is full again (0 = full). See <see cref="QuotaBucket"/>.
/// </summary>
/// <remarks>Every field is read and written under <see cref="Gate"/> (held for a few integer operations, never across an await).</remarks>
internal sealed class QuotaEntry
{
    public readonly Lock Gate = new();

    public long RequestsPerMinute;
    public long RequestsPerDay;
    public long TokensPerMinute;
    public long TokensPerDay;

    /// <summary>Changed since the last write to the store.</summary>
    public bool Dirty;

    /// <summary>Removed from its map by a prune: a caller holding it looks it up again.</summary>
    public bool Removed;

    public ref long FullAt(QuotaLimit limit)
    {
        switch (limit)
        {
            case QuotaLimit.RequestsPerMinute:
                return ref RequestsPerMinute;
            case QuotaLimit.RequestsPerDay:
                return ref RequestsPerDay;
            case QuotaLimit.TokensPerMinute:
                return ref TokensPerMinute;
            case QuotaLimit.TokensPerDay:
                return ref TokensPerDay;
            default:
                throw new ArgumentOutOfRangeException(nameof(limit));
        }
    }

    /// <summary>When every bucket is full again (the entry then says nothing a fresh one would not).</summary>
    public long IdleAt => Math.Max(Math.Max(RequestsPerMinute, RequestsPerDay), Math.Max(TokensPerMinute, TokensPerDay));
}
