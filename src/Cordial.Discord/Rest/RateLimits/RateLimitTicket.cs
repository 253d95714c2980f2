namespace Cordial.Discord.Rest.RateLimits;

/// <summary>
/// Everything a request holds while in flight: its route, its bucket permit and its global permit. Hand it back
/// to <see cref="RateLimitManager"/> exactly once (Complete or Abandon).
/// </summary>
internal readonly record struct RateLimitTicket(RouteKey Route, RouteState State, BucketTicket Bucket, bool HoldsGlobal);
