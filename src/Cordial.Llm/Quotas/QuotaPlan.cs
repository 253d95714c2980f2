namespace Cordial.Llm.Quotas;

/// <summary>
/// The limits of one scope, read once from <see cref="QuotaLimits"/>, with the bucket time of one request worked out
/// in advance (the check then only adds and compares).
/// </summary>
internal sealed class QuotaPlan
{
    public QuotaPlan(QuotaLimits limits)
    {
        RequestsPerMinute = limits.RequestsPerMinute;
        RequestsPerDay = limits.RequestsPerDay;
        TokensPerMinute = limits.TokensPerMinute;
        TokensPerDay = limits.TokensPerDay;
        MinuteRequestCost = RequestsPerMinute > 0 ? QuotaBucket.Cost(1, TimeSpan.TicksPerMinute, RequestsPerMinute) : 0;
        DayRequestCost = RequestsPerDay > 0 ? QuotaBucket.Cost(1, TimeSpan.TicksPerDay, RequestsPerDay) : 0;
        HasTokens = TokensPerMinute > 0 || TokensPerDay > 0;
        Any = HasTokens || RequestsPerMinute > 0 || RequestsPerDay > 0;
    }

    public long RequestsPerMinute { get; }

    public long RequestsPerDay { get; }

    public long TokensPerMinute { get; }

    public long TokensPerDay { get; }

    /// <summary>Bucket time (ticks) of one request against <see cref="RequestsPerMinute"/>.</summary>
    public long MinuteRequestCost { get; }

    /// <summary>Bucket time (ticks) of one request against <see cref="RequestsPerDay"/>.</summary>
    public long DayRequestCost { get; }

    public bool HasTokens { get; }

    public bool Any { get; }

    public long Get(QuotaLimit limit) => limit switch
    {
        QuotaLimit.RequestsPerMinute => RequestsPerMinute,
        QuotaLimit.RequestsPerDay => RequestsPerDay,
        QuotaLimit.TokensPerMinute => TokensPerMinute,
        _ => TokensPerDay,
    };
}
