using Cordial.Llm.Caching;

namespace Cordial.Llm.Coalescing;

/// <summary>
/// Identity of an in-flight call: the request's <see cref="ResponseCacheKey"/>, whether it streams, and who asks
/// (the quota user id, left out of the cache key: requests of different users never share a call, so one user's
/// quota refusal never reaches another).
/// </summary>
internal readonly record struct CoalescingKey(ResponseCacheKey Request, bool Streaming, ulong? User = null);
