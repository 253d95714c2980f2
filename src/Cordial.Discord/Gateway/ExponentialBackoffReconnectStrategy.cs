namespace Cordial.Discord.Gateway;

/// <summary>
/// Exponential backoff with jitter: attempt n waits between half and all of min(<see cref="MaximumDelay"/>,
/// <see cref="InitialDelay"/> × 2^n). Defaults: 1 s initial, 60 s maximum.
/// </summary>
public sealed class ExponentialBackoffReconnectStrategy : IReconnectStrategy
{
    private readonly Func<double> _random;

    /// <param name="random">A source of numbers in [0, 1) for the jitter; null: <see cref="Random.Shared"/>.</param>
    public ExponentialBackoffReconnectStrategy(Func<double>? random = null)
    {
        _random = random ?? Random.Shared.NextDouble;
    }

    /// <value>Base of the first delay. Default 1 s.</value>
    public TimeSpan InitialDelay
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            field = value;
        }
    } = TimeSpan.FromSeconds(1);

    /// <value>Upper bound of any delay. Default 60 s.</value>
    public TimeSpan MaximumDelay
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            field = value;
        }
    } = TimeSpan.FromSeconds(60);

    public IEnumerable<TimeSpan> GetDelays()
    {
        var ceiling = InitialDelay;
        while (true)
        {
            var capped = ceiling < MaximumDelay ? ceiling : MaximumDelay;
            var jitter = Math.Clamp(_random(), 0, 1);
            yield return capped * (0.5 + (0.5 * jitter));
            if (ceiling < MaximumDelay)
            {
                ceiling *= 2;
            }
        }
    }
}
