namespace Cordial.Bot.Collections;

/// <summary>
/// A bounded least-recently-used map: O(1) get, set and eviction. Bounded by entries, or by a weight of each value
/// (such as its bytes): setting a value evicts the entries used longest ago until the total fits.
/// </summary>
/// <remarks>Thread-safe through one short lock; no lock is ever held across an await.</remarks>
public sealed class LruCache<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<Entry>> _map;
    private readonly LinkedList<Entry> _order = new();
    private readonly Func<TValue, long>? _weigh;
    private readonly Lock _gate = new();
    private long _weight;

    /// <summary>A cache of at most <paramref name="capacity"/> entries.</summary>
    public LruCache(int capacity)
        : this(capacity, weigh: null)
    {
    }

    /// <summary>
    /// A cache whose values weigh at most <paramref name="maxWeight"/> together, each weighed once by
    /// <paramref name="weigh"/> when set. A value heavier than the whole bound is not kept.
    /// </summary>
    public LruCache(long maxWeight, Func<TValue, long>? weigh)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWeight, 1);
        MaxWeight = maxWeight;
        _weigh = weigh;
        _map = new Dictionary<TKey, LinkedListNode<Entry>>((int)Math.Min(maxWeight, 1024));
    }

    /// <summary>The bound: entries, or the total weight when the cache weighs its values.</summary>
    public long MaxWeight { get; }

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

    /// <summary>The weight held: the entry count, or the sum of the values' weights.</summary>
    public long Weight
    {
        get
        {
            lock (_gate)
            {
                return _weight;
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

    public void Set(TKey key, TValue value) => Set(key, value, replace: true);

    /// <summary>
    /// Adds the value only when the key is absent, so a value read from slower storage never replaces a newer one set
    /// meanwhile. Returns whether it was added.
    /// </summary>
    public bool TryAdd(TKey key, TValue value) => Set(key, value, replace: false);

    private bool Set(TKey key, TValue value, bool replace)
    {
        var weight = _weigh?.Invoke(value) ?? 1;
        lock (_gate)
        {
            if (!replace && _map.ContainsKey(key))
            {
                return false;
            }

            if (weight > MaxWeight)
            {
                RemoveLocked(key); // kept nowhere: it would push out everything else and still not fit
                return false;
            }

            if (_map.TryGetValue(key, out var node))
            {
                _weight += weight - node.Value.Weight;
                node.Value = new Entry(key, value, weight);
                _order.Remove(node);
                _order.AddFirst(node);
            }
            else
            {
                _map[key] = _order.AddFirst(new Entry(key, value, weight));
                _weight += weight;
            }

            while (_weight > MaxWeight)
            {
                var last = _order.Last!; // never the entry just set: it fits alone
                _order.RemoveLast();
                _map.Remove(last.Value.Key);
                _weight -= last.Value.Weight;
            }

            return true;
        }
    }

    public bool Remove(TKey key)
    {
        lock (_gate)
        {
            return RemoveLocked(key);
        }
    }

    private bool RemoveLocked(TKey key)
    {
        if (!_map.Remove(key, out var node))
        {
            return false;
        }

        _order.Remove(node);
        _weight -= node.Value.Weight;
        return true;
    }

    private readonly record struct Entry(TKey Key, TValue Value, long Weight);
}
