namespace Cordial.Discord.Gateway;

/// <summary>
/// Paces IDENTIFY across the shards of this process: Discord allows <c>max_concurrency</c> identifies per 5 s, one per
/// bucket, where bucket = shard_id % max_concurrency. Each caller reserves the next free slot of its bucket and waits
/// for it, so shards of one bucket identify 5 s apart in arrival order.
/// </summary>
/// <remarks>Thread-safe; no lock is held across an await.</remarks>
internal sealed class IdentifyGate
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly long?[] _nextSlot;

    public IdentifyGate(TimeProvider time, int maxConcurrency, TimeSpan? interval = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        _time = time;
        _interval = interval ?? TimeSpan.FromSeconds(5);
        _nextSlot = new long?[maxConcurrency];
    }

    public int MaxConcurrency => _nextSlot.Length;

    /// <summary>Waits until shard <paramref name="shardId"/> may send IDENTIFY. Cancelling gives the slot up only for
    /// the caller (the bucket still counts it, which errs on the safe side).</summary>
    public Task WaitAsync(int shardId, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shardId);
        TimeSpan wait;
        lock (_gate)
        {
            var bucket = shardId % _nextSlot.Length;
            var now = _time.GetTimestamp();
            var slot = _nextSlot[bucket] is { } next && _time.GetElapsedTime(now, next) > TimeSpan.Zero ? next : now;
            wait = _time.GetElapsedTime(now, slot);
            _nextSlot[bucket] = slot + (long)(_interval.TotalSeconds * _time.TimestampFrequency);
        }

        // Whole milliseconds: timers round sub-millisecond delays down to zero.
        return wait > TimeSpan.Zero ? Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), _time, cancellationToken) : Task.CompletedTask;
    }
}
