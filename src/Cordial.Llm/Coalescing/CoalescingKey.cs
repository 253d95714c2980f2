using Cordial.Llm.Caching;

namespace Cordial.Llm.Coalescing;

/// <summary>
/// Identity of an in-flight call: the request's <see cref="ResponseCacheKey"/> (which leaves out who asks, so identical
/// requests of different users share one call) and whether it streams.
/// </summary>
internal readonly record struct CoalescingKey(ResponseCacheKey Request, bool Streaming);
