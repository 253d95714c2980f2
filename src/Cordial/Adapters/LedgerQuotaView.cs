using Cordial.Bot.Usage;
using Cordial.Llm.Quotas;

namespace Cordial.Adapters;

/// <summary>The LLM side's <see cref="QuotaLedger"/> as the bot's /stats sees it.</summary>
internal sealed class LedgerQuotaView(QuotaLedger ledger) : IQuotaView
{
    public QuotaLeft GetLeft(ulong userId, ulong? guildId)
    {
        var allowance = ledger.GetAllowance(userId, guildId);
        return new QuotaLeft(allowance.RequestsLeftThisMinute, allowance.RequestsLeftToday, allowance.TokensLeftToday, allowance.Exempt);
    }
}
