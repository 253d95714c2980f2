using Cordial.Bot.Collections;
using Cordial.Bot.Messages;

namespace Cordial.Bot.Conversations;

/// <summary>
/// Remembers the last few messages seen in each channel (bounded: <see cref="RecentPerChannel"/> ids and authors per
/// channel, LRU over channels), so that back-to-back chaining, DM and thread continuation need no REST call while the
/// bot runs — also when messages of one channel are seen slightly out of order (a user's message whose event arrives
/// after the bot's newer reply), which with only the latest message remembered sent every such message to Discord.
/// </summary>
/// <remarks>
/// Thread-safe. A channel can be <see cref="Seed">seeded</see> from the gateway's channel object (its last message id,
/// or none): from then on "nothing before" is known too, so the first message in a channel after a start needs no REST
/// call either.
/// </remarks>
public sealed class ChannelActivity(int capacity = 10_000)
{
    /// <summary>Messages remembered per channel.</summary>
    public const int RecentPerChannel = 8;

    private readonly LruCache<ulong, Recent> _channels = new(capacity);

    /// <summary>Records a message (in any order; a message already known changes nothing).</summary>
    public void Observe(IncomingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!_channels.TryGet(message.ChannelId, out var recent))
        {
            recent = new Recent();
            _channels.Set(message.ChannelId, recent);
        }

        recent.Add(message.Id, message.Author.Id);
    }

    /// <summary>
    /// Starts the channel's record afresh from what the gateway says of it (GUILD_CREATE, THREAD_CREATE): its last
    /// message (author not yet known), or none for an empty channel. Every message after it is then seen by the bot.
    /// </summary>
    public void Seed(ulong channelId, ulong? lastMessageId) => _channels.Set(channelId, new Recent(lastMessageId));

    /// <summary>Forgets a deleted message.</summary>
    public void Forget(ulong channelId, ulong messageId)
    {
        if (_channels.TryGet(channelId, out var recent))
        {
            recent.Remove(messageId);
        }
    }

    /// <summary>
    /// The newest message in the channel before <paramref name="messageId"/>: true with the message, or true with null
    /// when the channel is known to hold nothing before it; false when that is not known (e.g. after a restart, before
    /// the channel was seeded), in which case the caller asks Discord.
    /// </summary>
    public bool TryGetBefore(ulong channelId, ulong messageId, out RecentMessage? previous)
    {
        if (_channels.TryGet(channelId, out var recent))
        {
            return recent.TryGetBefore(messageId, out previous);
        }

        previous = null;
        return false;
    }

    /// <summary>Up to <see cref="RecentPerChannel"/> messages of one channel, ascending by id; the oldest leaves first.</summary>
    private sealed class Recent
    {
        private readonly Lock _gate = new();
        private readonly RecentMessage[] _items = new RecentMessage[RecentPerChannel];
        private int _count;

        // Every message of the channel newer than this id is among the items (null: not known, the record is partial).
        private ulong? _horizon;

        public Recent()
        {
        }

        public Recent(ulong? lastMessageId)
        {
            _horizon = lastMessageId ?? 0;
            if (lastMessageId is { } last)
            {
                _items[0] = new RecentMessage(last, AuthorId: null);
                _count = 1;
            }
        }

        public void Add(ulong id, ulong authorId)
        {
            lock (_gate)
            {
                var at = _count;
                while (at > 0 && _items[at - 1].Id > id)
                {
                    at--;
                }

                if (at > 0 && _items[at - 1].Id == id)
                {
                    _items[at - 1] = new RecentMessage(id, authorId); // a seeded id learns its author
                    return;
                }

                if (_count == _items.Length)
                {
                    if (at == 0)
                    {
                        return; // older than everything remembered: it cannot be anyone's "previous" we would answer from
                    }

                    Array.Copy(_items, 1, _items, 0, at - 1); // drop the oldest, shift down to the insertion point
                    at--;
                    _horizon = null; // what came before the items is no longer known
                }
                else
                {
                    Array.Copy(_items, at, _items, at + 1, _count - at);
                    _count++;
                }

                _items[at] = new RecentMessage(id, authorId);
            }
        }

        public void Remove(ulong id)
        {
            lock (_gate)
            {
                var index = Array.FindIndex(_items, 0, _count, m => m.Id == id);
                if (index == 0)
                {
                    _horizon = null; // the message before the oldest item is not known
                }

                if (index >= 0)
                {
                    Array.Copy(_items, index + 1, _items, index, _count - index - 1);
                    _count--;
                }
            }
        }

        public bool TryGetBefore(ulong messageId, out RecentMessage? previous)
        {
            lock (_gate)
            {
                for (var i = _count - 1; i >= 0; i--)
                {
                    if (_items[i].Id < messageId)
                    {
                        previous = _items[i];
                        return true;
                    }
                }

                previous = null;
                return _horizon is { } horizon && messageId > horizon;
            }
        }
    }
}
