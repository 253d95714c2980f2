namespace Cordial.Bot.Usage;

/// <summary>A user's remaining quota; null = no limit of that kind applies.</summary>
/// <param name="Exempt">The user is a quota admin: no user or guild limit applies.</param>
public sealed record QuotaLeft(long? RequestsThisMinute, long? RequestsToday, long? TokensToday, bool Exempt)
{
    /// <summary>No limit at all.</summary>
    public static readonly QuotaLeft Unlimited = new(null, null, null, false);
}
