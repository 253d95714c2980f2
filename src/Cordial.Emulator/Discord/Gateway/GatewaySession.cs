using System.Text;

namespace Cordial.Emulator.Discord.Gateway;

/// <summary>
/// A gateway session: its sequence, its bounded replay buffer and the connection currently attached.
/// Outlives connections so that RESUME can replay what was missed. Thread-safe.
/// </summary>
internal sealed class GatewaySession
{
    private readonly Lock _gate = new();
    private readonly Queue<(int Sequence, byte[] Payload)> _buffer = new();
    private readonly int _bufferSize;
    private GatewayConnection? _connection;
    private int _sequence;
    private bool _invalidated;

    public GatewaySession(string id, BotState bot, int intents, int shardId, int shardCount, int bufferSize)
    {
        Id = id;
        Bot = bot;
        Intents = intents;
        ShardId = shardId;
        ShardCount = shardCount;
        _bufferSize = bufferSize;
    }

    public string Id { get; }
    public BotState Bot { get; }
    public int Intents { get; }
    public int ShardId { get; }
    public int ShardCount { get; }
    public long CreatedOrder { get; init; }

    public bool IsAttached
    {
        get
        {
            lock (_gate)
            {
                return _connection is not null;
            }
        }
    }

    public bool IsInvalidated
    {
        get
        {
            lock (_gate)
            {
                return _invalidated;
            }
        }
    }

    public bool HasIntent(int intent) => (Intents & intent) == intent;

    /// <summary>True when this shard owns the guild: (guild_id &gt;&gt; 22) % shard_count == shard_id.</summary>
    public bool OwnsGuild(ulong guildId) => (int)((guildId >> 22) % (ulong)ShardCount) == ShardId;

    /// <summary>DMs go to shard 0.</summary>
    public bool OwnsDirectMessages => ShardId == 0;

    /// <summary>Assigns the next sequence, buffers the dispatch and sends it to the attached connection.</summary>
    public void Dispatch(string eventName, ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            if (_invalidated)
            {
                return;
            }

            var payload = BuildDispatch(eventName, ++_sequence, data);
            _buffer.Enqueue((_sequence, payload));
            while (_buffer.Count > _bufferSize)
            {
                _buffer.Dequeue();
            }

            _connection?.TrySend(payload);
        }
    }

    /// <summary>Attaches a fresh connection (IDENTIFY).</summary>
    public void Attach(GatewayConnection connection)
    {
        lock (_gate)
        {
            _connection = connection;
        }
    }

    /// <summary>
    /// Attaches a resuming connection and replays every buffered dispatch after <paramref name="sequence"/>,
    /// then RESUMED. False when the session is gone or the buffer no longer covers the gap.
    /// </summary>
    public bool TryResume(GatewayConnection connection, int sequence)
    {
        GatewayConnection? previous;
        lock (_gate)
        {
            if (_invalidated || sequence < 0 || sequence > _sequence)
            {
                return false;
            }

            if (sequence < _sequence && (_buffer.Count == 0 || _buffer.Peek().Sequence > sequence + 1))
            {
                return false;
            }

            previous = _connection;
            _connection = connection;
            foreach (var (seq, payload) in _buffer)
            {
                if (seq > sequence)
                {
                    connection.TrySend(payload);
                }
            }

            var resumed = BuildDispatch("RESUMED", ++_sequence, "{}"u8);
            _buffer.Enqueue((_sequence, resumed));
            while (_buffer.Count > _bufferSize)
            {
                _buffer.Dequeue();
            }

            connection.TrySend(resumed);
        }

        if (previous is not null && previous != connection)
        {
            previous.Abort();
        }

        return true;
    }

    public void Detach(GatewayConnection connection)
    {
        lock (_gate)
        {
            if (_connection == connection)
            {
                _connection = null;
            }
        }
    }

    /// <summary>Makes the session impossible to resume (INVALID_SESSION false).</summary>
    public void Invalidate()
    {
        lock (_gate)
        {
            _invalidated = true;
            _connection = null;
            _buffer.Clear();
        }
    }

    private static byte[] BuildDispatch(string eventName, int sequence, ReadOnlySpan<byte> data)
    {
        var head = Encoding.UTF8.GetBytes("{\"op\":0,\"t\":\"" + eventName + "\",\"s\":" + sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",\"d\":");
        var payload = new byte[head.Length + data.Length + 1];
        head.CopyTo(payload, 0);
        data.CopyTo(payload.AsSpan(head.Length));
        payload[^1] = (byte)'}';
        return payload;
    }
}
