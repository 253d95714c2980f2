namespace Cordial.Discord.Gateway;

/// <summary>
/// How long to wait before each reconnect attempt. A shard enumerates <see cref="GetDelays"/> afresh after every
/// established session (READY or RESUMED), so a long outage backs off and a healthy connection starts fast again.
/// </summary>
/// <remarks>Implementations must be thread-safe: shards share one instance and enumerate concurrently.</remarks>
public interface IReconnectStrategy
{
    /// <summary>The delays of one streak of failed attempts, in order. May be infinite; when it ends, the last delay repeats.</summary>
    IEnumerable<TimeSpan> GetDelays();
}
