using Cordial.Bot.Collections;
using Cordial.Bot.Messages;

namespace Cordial.Bot.Conversations;

/// <summary>
/// Remembers the latest message seen in each channel (bounded), so that back-to-back chaining and DM continuation
/// need no REST call while the bot is running.
/// </summary>
public sealed class ChannelActivity(int capacity = 10_000)
{
    private readonly LruCache<ulong, IncomingMessage> _last = new(capacity);

    /// <summary>Records a message; older messages arriving late do not replace a newer one.</summary>
    public void Observe(IncomingMessage message)
    {
        if (_last.TryGet(message.ChannelId, out var current) && current.Id >= message.Id)
        {
            return;
        }

        _last.Set(message.ChannelId, message);
    }

    /// <summary>Forgets a deleted message when it was the latest one.</summary>
    public void Forget(ulong channelId, ulong messageId)
    {
        if (_last.TryGet(channelId, out var current) && current.Id == messageId)
        {
            _last.Remove(channelId);
        }
    }

    /// <summary>
    /// The latest message seen in the channel before <paramref name="messageId"/>; false when unknown (e.g. after a
    /// restart), in which case the caller asks Discord.
    /// </summary>
    public bool TryGetBefore(ulong channelId, ulong messageId, out IncomingMessage previous)
    {
        if (_last.TryGet(channelId, out previous!) && previous.Id < messageId)
        {
            return true;
        }

        previous = null!;
        return false;
    }
}
