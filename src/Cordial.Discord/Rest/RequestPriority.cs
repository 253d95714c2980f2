namespace Cordial.Discord.Rest;

/// <summary>
/// Which requests go first while the global limit (50 requests/s per bot token) is saturated. Within a lane requests
/// keep their order; only the global limiter uses lanes (a route's own bucket is strictly first-in first-out).
/// </summary>
public enum RequestPriority
{
    /// <summary>
    /// A read: something is waiting on it before anything can be shown (the history a model request needs). Reads are
    /// few, so letting them pass costs the others little.
    /// </summary>
    Urgent,

    /// <summary>Everything else: a reply's first message, a command's registration…</summary>
    Normal,

    /// <summary>
    /// A message edit or a typing indicator: a later edit carries the latest text anyway. Others go first, but for at
    /// most <c>FifoLimiter.MaxDeferral</c>.
    /// </summary>
    Deferrable,
}
