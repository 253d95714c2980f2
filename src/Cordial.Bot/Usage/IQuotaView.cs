namespace Cordial.Bot.Usage;

/// <summary>What a user may still ask now under the LLM side's quotas (for /stats). Thread-safe.</summary>
public interface IQuotaView
{
    /// <summary>The tighter of the user's and the guild's limits (<paramref name="guildId"/> null in DMs).</summary>
    QuotaLeft GetLeft(ulong userId, ulong? guildId);
}
