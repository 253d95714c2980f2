namespace Cordial.Emulator.Discord.Rest;

/// <summary>The outcome of one rate-limit check, with what the headers report.</summary>
internal readonly record struct RateLimitDecision(bool Allowed, int Limit, int Remaining, TimeSpan ResetAfter, DateTimeOffset ResetAt);
