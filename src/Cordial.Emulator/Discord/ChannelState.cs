namespace Cordial.Emulator.Discord;

/// <summary>A channel and its bounded message history; guarded by the emulator's lock.</summary>
internal sealed class ChannelState(EmulatedChannel channel)
{
    public const int MaxMessages = 10_000;

    public EmulatedChannel Channel { get; set; } = channel;
    public SortedList<ulong, EmulatedMessage> Messages { get; } = [];
    public ulong? LastMessageId { get; set; }
    public int MessageCount { get; set; }

    /// <summary>Index of the first message whose id is greater than or equal to <paramref name="id"/>.</summary>
    public int LowerBound(ulong id)
    {
        var keys = Messages.Keys;
        int lo = 0, hi = keys.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (keys[mid] < id)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    public void Store(EmulatedMessage message)
    {
        Messages[message.Id] = message;
        while (Messages.Count > MaxMessages)
        {
            Messages.RemoveAt(0);
        }
    }
}
