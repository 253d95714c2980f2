namespace Cordial.Llm.Quotas;

/// <summary>The limits of one scope (a user, a guild or a provider). 0 = unlimited.</summary>
public sealed class QuotaLimits
{
    /// <summary>Requests allowed per minute.</summary>
    /// <value>Default 0 (unlimited); 0 to 1000000.</value>
    public long RequestsPerMinute { get; set; }

    /// <summary>Requests allowed per day.</summary>
    /// <value>Default 0 (unlimited); 0 to 100000000.</value>
    public long RequestsPerDay { get; set; }

    /// <summary>Tokens allowed per minute; a request is refused while the tokens used are at or over it.</summary>
    /// <value>Default 0 (unlimited); 0 to 10000000000.</value>
    public long TokensPerMinute { get; set; }

    /// <summary>Tokens allowed per day; a request is refused while the tokens used are at or over it.</summary>
    /// <value>Default 0 (unlimited); 0 to 10000000000.</value>
    public long TokensPerDay { get; set; }

    /// <summary>Copies these limits.</summary>
    public QuotaLimits Clone() => (QuotaLimits)MemberwiseClone();
}
