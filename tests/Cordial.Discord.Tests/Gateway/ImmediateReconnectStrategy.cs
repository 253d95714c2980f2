using Cordial.Discord.Gateway;

namespace Cordial.Discord.Tests.Gateway;

/// <summary>Reconnects without waiting (tests only), counting how often a delay was asked for.</summary>
internal sealed class ImmediateReconnectStrategy : IReconnectStrategy
{
    private int _streaks;

    public int Streaks => Volatile.Read(ref _streaks);

    public IEnumerable<TimeSpan> GetDelays()
    {
        Interlocked.Increment(ref _streaks);
        while (true)
        {
            yield return TimeSpan.Zero;
        }
    }
}
