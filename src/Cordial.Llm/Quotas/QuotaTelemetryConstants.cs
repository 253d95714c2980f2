namespace Cordial.Llm.Quotas;

/// <summary>Instrument and tag names of the quota stages, on the <c>Cordial.Llm</c> meter.</summary>
public static class QuotaTelemetryConstants
{
    /// <summary>Counter: requests refused by a quota, tagged with <see cref="ScopeTag"/> and <see cref="LimitTag"/>.</summary>
    public const string Refusals = "cordial.llm.quota.refusals";

    /// <summary>Observable gauge: users, guilds and providers whose quota state is held in memory.</summary>
    public const string TrackedIdentities = "cordial.llm.quota.tracked";

    /// <summary>Counter: failed writes of quota state to the store (retried on the next flush).</summary>
    public const string WriteFailures = "cordial.llm.quota.write_failures";

    /// <summary>Tag: <c>user</c>, <c>guild</c> or <c>provider</c>.</summary>
    public const string ScopeTag = "scope";

    /// <summary>Tag: <c>requests_per_minute</c>, <c>requests_per_day</c>, <c>tokens_per_minute</c> or <c>tokens_per_day</c>.</summary>
    public const string LimitTag = "limit";
}
