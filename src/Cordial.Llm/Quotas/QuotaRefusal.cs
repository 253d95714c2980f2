using System.Globalization;

namespace Cordial.Llm.Quotas;

/// <summary>Which limit refused a request and how long until it would be allowed.</summary>
internal readonly record struct QuotaRefusal(QuotaScope Scope, QuotaLimit Limit, TimeSpan RetryAfter)
{
    /// <summary>The exception the stages throw for this refusal.</summary>
    public LlmProviderException ToException(string? provider = null, string? model = null) => new(
        LlmFailureKind.QuotaExceeded,
        string.Create(CultureInfo.InvariantCulture, $"The {Scope.ToString().ToLowerInvariant()} quota ({Limit}) is used up; retry after {Math.Ceiling(RetryAfter.TotalSeconds):0} s."))
    {
        RetryAfter = RetryAfter,
        QuotaScope = Scope,
        QuotaLimit = Limit,
        Provider = provider,
        Model = model,
    };
}
