using System.Diagnostics.CodeAnalysis;

namespace Cordial.Llm.Caching;

/// <summary>
/// The answer store of <see cref="ResponseCachingChatClient"/>: a least-recently-used map bounded by bytes, with a
/// time to live per entry. Get, set and evict are O(1) (a dictionary plus an intrusive doubly linked list).
/// </summary>
/// <remarks>
/// Thread-safe: one short lock per operation, never held across an await. An entry larger than a quarter of the
/// byte bound is not stored. Expired entries are removed when read and from the cold end on every store.
/// </remarks>
public sealed class ResponseCache
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ResponseCacheKey, Node> _map = [];
    private readonly TimeProvider _timeProvider;
    private readonly long _ttlTicks;
    private Node? _head; // most recently used
    private Node? _tail; // least recently used
    private long _bytes;
    private long _evictions;
    private long _expirations;

    /// <summary>Creates a store bounded by <paramref name="maxBytes"/> whose entries live <paramref name="timeToLive"/>.</summary>
    public ResponseCache(long maxBytes, TimeSpan timeToLive, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        MaxBytes = maxBytes;
        TimeToLive = timeToLive;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _ttlTicks = (long)Math.Min(long.MaxValue / 2, timeToLive.TotalSeconds * _timeProvider.TimestampFrequency);
    }

    /// <summary>The byte bound.</summary>
    public long MaxBytes { get; }

    /// <summary>How long an entry may be served after it was stored.</summary>
    public TimeSpan TimeToLive { get; }

    /// <summary>Bytes currently held (sum of <see cref="CachedResponse.Size"/>).</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Entries currently held.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _map.Count;
            }
        }
    }

    /// <summary>Entries evicted to stay within <see cref="MaxBytes"/>, since creation.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>Entries removed because they expired, since creation.</summary>
    public long Expirations => Interlocked.Read(ref _expirations);

    /// <summary>Finds a live entry and marks it most recently used. Allocation-free.</summary>
    public bool TryGet(in ResponseCacheKey key, [NotNullWhen(true)] out CachedResponse? value)
    {
        var now = _timeProvider.GetTimestamp();
        lock (_gate)
        {
            if (!_map.TryGetValue(key, out var node))
            {
                value = null;
                return false;
            }

            if (now - node.StoredAt >= _ttlTicks)
            {
                RemoveNode(node);
                _expirations++;
                value = null;
                return false;
            }

            MoveToFront(node);
            value = node.Value;
            return true;
        }
    }

    /// <summary>
    /// Stores (or replaces) an entry as the most recently used, evicting least recently used entries beyond
    /// <see cref="MaxBytes"/>. Returns false when the entry is larger than a quarter of the bound (not stored).
    /// </summary>
    public bool Set(in ResponseCacheKey key, CachedResponse value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Size > MaxBytes / 4)
        {
            return false;
        }

        var now = _timeProvider.GetTimestamp();
        lock (_gate)
        {
            if (_map.TryGetValue(key, out var existing))
            {
                _bytes -= existing.Value.Size;
                existing.Value = value;
                existing.StoredAt = now;
                _bytes += value.Size;
                MoveToFront(existing);
            }
            else
            {
                var node = new Node(key, value, now);
                _map.Add(key, node);
                AddToFront(node);
                _bytes += value.Size;
            }

            while (_tail is { } cold && !ReferenceEquals(cold, _head) && now - cold.StoredAt >= _ttlTicks)
            {
                RemoveNode(cold);
                _expirations++;
            }

            while (_bytes > MaxBytes && _tail is { } victim && !ReferenceEquals(victim, _head))
            {
                RemoveNode(victim);
                _evictions++;
            }
        }

        return true;
    }

    /// <summary>Removes an entry; returns whether it was present.</summary>
    public bool Remove(in ResponseCacheKey key)
    {
        lock (_gate)
        {
            if (!_map.TryGetValue(key, out var node))
            {
                return false;
            }

            RemoveNode(node);
            return true;
        }
    }

    /// <summary>Removes every entry.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _map.Clear();
            _head = _tail = null;
            _bytes = 0;
        }
    }

    private void AddToFront(Node node)
    {
        node.Previous = null;
        node.Next = _head;
        if (_head is not null)
        {
            _head.Previous = node;
        }

        _head = node;
        _tail ??= node;
    }

    private void MoveToFront(Node node)
    {
        if (ReferenceEquals(node, _head))
        {
            return;
        }

        Unlink(node);
        AddToFront(node);
    }

    private void RemoveNode(Node node)
    {
        Unlink(node);
        _map.Remove(node.Key);
        _bytes -= node.Value.Size;
    }

    private void Unlink(Node node)
    {
        if (node.Previous is not null)
        {
            node.Previous.Next = node.Next;
        }
        else
        {
            _head = node.Next;
        }

        if (node.Next is not null)
        {
            node.Next.Previous = node.Previous;
        }
        else
        {
            _tail = node.Previous;
        }

        node.Previous = null;
        node.Next = null;
    }

    private sealed class Node(ResponseCacheKey key, CachedResponse value, long storedAt)
    {
        public ResponseCacheKey Key { get; } = key;

        public CachedResponse Value { get; set; } = value;

        public long StoredAt { get; set; } = storedAt;

        public Node? Previous { get; set; }

        public Node? Next { get; set; }
    }
}
