namespace Cordial.Discord.Rest.RateLimits;

/// <summary>
/// Counts invalid requests (401, 403, and 429 except scope "shared") over a sliding ten minutes, in sixty
/// ten-second slots. Discord bans an IP for a while after 10,000 of them.
/// </summary>
/// <remarks>Thread-safe; fixed memory.</remarks>
internal sealed class InvalidRequestWindow
{
    public const int SlotCount = 60;

    private readonly Lock _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly long _slotLength;
    private readonly long[] _slotIndex = new long[SlotCount];
    private readonly int[] _slotCount = new int[SlotCount];

    public InvalidRequestWindow(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _slotLength = 10 * timeProvider.TimestampFrequency;
        Array.Fill(_slotIndex, long.MinValue);
    }

    public static TimeSpan Window => TimeSpan.FromMinutes(10);

    /// <summary>Records one invalid request and returns the count over the window, this one included.</summary>
    public int Record()
    {
        lock (_gate)
        {
            var index = _timeProvider.GetTimestamp() / _slotLength;
            var slot = (int)(((index % SlotCount) + SlotCount) % SlotCount);
            if (_slotIndex[slot] != index)
            {
                _slotIndex[slot] = index;
                _slotCount[slot] = 0;
            }

            _slotCount[slot]++;
            return CountLocked(index);
        }
    }

    /// <summary>Invalid requests in the last ten minutes.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return CountLocked(_timeProvider.GetTimestamp() / _slotLength);
            }
        }
    }

    private int CountLocked(long currentIndex)
    {
        var total = 0;
        for (var i = 0; i < SlotCount; i++)
        {
            if (_slotIndex[i] > currentIndex - SlotCount && _slotIndex[i] <= currentIndex)
            {
                total += _slotCount[i];
            }
        }

        return total;
    }
}
