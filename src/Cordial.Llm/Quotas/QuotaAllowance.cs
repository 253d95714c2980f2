namespace Cordial.Llm.Quotas;

/// <summary>What a user may still use now; null = unlimited.</summary>
/// <param name="Exempt">The user is an admin (<see cref="QuotaOptions.AdminUserIds"/>): user and guild limits do not apply.</param>
public sealed record QuotaAllowance(long? RequestsLeftThisMinute, long? RequestsLeftToday, long? TokensLeftToday, bool Exempt);
