using Cordial.Bot.Collections;

namespace Cordial.Bot.Tests.Conversations;

public sealed class LruCacheTests
{
    [Fact]
    public void The_least_recently_used_entry_is_evicted_first()
    {
        var cache = new LruCache<int, string>(2);
        cache.Set(1, "a");
        cache.Set(2, "b");
        Assert.True(cache.TryGet(1, out _)); // 1 is now newer than 2

        cache.Set(3, "c");

        Assert.False(cache.TryGet(2, out _));
        Assert.True(cache.TryGet(1, out var one));
        Assert.Equal("a", one);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void Setting_an_existing_key_replaces_without_growing()
    {
        var cache = new LruCache<int, string>(2);
        cache.Set(1, "a");
        cache.Set(1, "b");

        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet(1, out var value));
        Assert.Equal("b", value);
    }

    [Fact]
    public void Concurrent_use_never_exceeds_the_capacity()
    {
        var cache = new LruCache<int, int>(100);
        Parallel.For(0, 10_000, i =>
        {
            cache.Set(i % 500, i);
            cache.TryGet((i * 7) % 500, out _);
        });

        Assert.Equal(100, cache.Count);
    }

    [Fact]
    public void A_weighed_cache_evicts_the_oldest_entries_until_the_new_one_fits()
    {
        var cache = new LruCache<int, string>(10, s => s.Length);
        cache.Set(1, "aaaa");
        cache.Set(2, "bbb");
        cache.Set(3, "cc");
        Assert.True(cache.TryGet(1, out _)); // 2 is now the oldest, then 3

        cache.Set(4, "dddd"); // 4 + 3 + 2 + 4 = 13: 2 goes, 3 stays (10)

        Assert.False(cache.TryGet(2, out _));
        Assert.True(cache.TryGet(3, out _));
        Assert.True(cache.TryGet(1, out _));
        Assert.Equal(10, cache.Weight);

        cache.Set(5, "eeeeeee"); // 7: 4 and 3 go (the oldest), then 1 (7 + 4 > 10)

        Assert.Equal(7, cache.Weight);
        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet(5, out _));
    }

    [Fact]
    public void Replacing_a_value_counts_its_new_weight_and_a_value_heavier_than_the_bound_is_not_kept()
    {
        var cache = new LruCache<int, string>(10, s => s.Length);
        cache.Set(1, "aa");
        cache.Set(2, "bb");
        cache.Set(1, "aaaaaa");
        Assert.Equal(8, cache.Weight);

        cache.Set(2, new string('b', 11)); // too heavy: the old value of 2 goes too, the rest stays

        Assert.False(cache.TryGet(2, out _));
        Assert.True(cache.TryGet(1, out var one));
        Assert.Equal("aaaaaa", one);
        Assert.Equal(6, cache.Weight);

        Assert.True(cache.Remove(1));
        Assert.Equal(0, cache.Weight);
    }

    [Fact]
    public void Try_add_never_replaces_a_value_already_there()
    {
        var cache = new LruCache<int, string>(10, s => s.Length);
        cache.Set(1, "new");

        Assert.False(cache.TryAdd(1, "stale"));
        Assert.True(cache.TryAdd(2, "bb"));

        Assert.True(cache.TryGet(1, out var one));
        Assert.Equal("new", one);
        Assert.Equal(5, cache.Weight);
        Assert.False(cache.TryAdd(3, new string('c', 11))); // too heavy for the whole bound
    }

    [Fact]
    public void Concurrent_use_of_a_weighed_cache_never_exceeds_its_bound()
    {
        var cache = new LruCache<int, string>(1_000, s => s.Length);
        Parallel.For(0, 10_000, i =>
        {
            cache.Set(i % 700, new string('x', 1 + (i % 37)));
            cache.TryGet((i * 7) % 700, out _);
            if (i % 11 == 0)
            {
                cache.Remove(i % 700);
            }
        });

        // The weight kept under contention is exactly that of the entries left, and within the bound.
        var held = 0L;
        for (var key = 0; key < 700; key++)
        {
            held += cache.TryGet(key, out var value) ? value.Length : 0;
        }

        Assert.Equal(held, cache.Weight);
        Assert.InRange(cache.Weight, 1, 1_000);
    }
}
