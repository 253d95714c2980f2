namespace Cordial.Llm.Quotas;

/// <summary>The four limits every scope can have (see <see cref="QuotaLimits"/>).</summary>
public enum QuotaLimit
{
    /// <summary>Requests per minute.</summary>
    RequestsPerMinute = 0,

    /// <summary>Requests per day.</summary>
    RequestsPerDay = 1,

    /// <summary>Tokens (input + output, as reported by the provider) per minute.</summary>
    TokensPerMinute = 2,

    /// <summary>Tokens (input + output, as reported by the provider) per day.</summary>
    TokensPerDay = 3,
}
