namespace Cordial.Bot.Usage;

/// <summary>A user's usage, for /stats.</summary>
public sealed record UsageSummary(long RequestsToday, long RequestsTotal, long InputTokensTotal, long OutputTokensTotal)
{
    public static readonly UsageSummary None = new(0, 0, 0, 0);
}
