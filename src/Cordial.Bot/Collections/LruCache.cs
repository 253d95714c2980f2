namespace Cordial.Bot.Collections;

/// <summary>
/// A bounded least-recently-used map: O(1) get, set and eviction. When full, setting a new key evicts the entry used
/// longest ago.
/// </summary>
/// <remarks>Thread-safe through one short lock; no lock is ever held across an await.</remarks>
public sealed class LruCache<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<Entry>> _map;
    private readonly LinkedList<Entry> _order = new();
    private readonly Lock _gate = new();

    public LruCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _map = new Dictionary<TKey, LinkedListNode<Entry>>(Math.Min(capacity, 1024));
    }

    public int Capacity { get; }

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

    public bool TryGet(TKey key, out TValue value)
    {
        lock (_gate)
        {
            if (_map.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                value = node.Value.Value;
                return true;
            }
        }

        value = default!;
        return false;
    }

    public void Set(TKey key, TValue value)
    {
        lock (_gate)
        {
            if (_map.TryGetValue(key, out var existing))
            {
                existing.Value = new Entry(key, value);
                _order.Remove(existing);
                _order.AddFirst(existing);
                return;
            }

            if (_map.Count >= Capacity)
            {
                var last = _order.Last!;
                _order.RemoveLast();
                _map.Remove(last.Value.Key);
            }

            _map[key] = _order.AddFirst(new Entry(key, value));
        }
    }

    public bool Remove(TKey key)
    {
        lock (_gate)
        {
            if (_map.Remove(key, out var node))
            {
                _order.Remove(node);
                return true;
            }
        }

        return false;
    }

    private readonly record struct Entry(TKey Key, TValue Value);
}
