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
}
