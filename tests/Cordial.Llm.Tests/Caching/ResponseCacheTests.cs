using System.Text;
using Cordial.Llm.Caching;
using Microsoft.Extensions.AI;

namespace Cordial.Llm.Tests.Caching;

public sealed class ResponseCacheTests
{
    private static ResponseCacheKey KeyOf(string prompt)
    {
        Assert.True(ResponseCacheKey.TryCompute([new ChatMessage(ChatRole.User, prompt)], null, out var key));
        return key;
    }

    private static CachedResponse Entry(string text, int threshold = 1024) =>
        CachedResponse.TryCreate(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)) { FinishReason = ChatFinishReason.Stop, ModelId = "m" }, threshold)
        ?? throw new InvalidOperationException("not storable");

    [Fact]
    public void Entries_expire_after_the_time_to_live()
    {
        var time = new ManualTimeProvider();
        var cache = new ResponseCache(1024 * 1024, TimeSpan.FromMinutes(5), time);
        cache.Set(KeyOf("a"), Entry("answer"));

        time.Advance(TimeSpan.FromMinutes(4));
        Assert.True(cache.TryGet(KeyOf("a"), out var hit));
        Assert.Equal("answer", hit.GetText());

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.False(cache.TryGet(KeyOf("a"), out _));
        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.Bytes);
        Assert.Equal(1, cache.Expirations);
    }

    [Fact]
    public void The_byte_bound_evicts_the_least_recently_used_entry()
    {
        var size = Entry(new string('x', 500)).Size;
        var cache = new ResponseCache(size * 4, TimeSpan.FromMinutes(5), new ManualTimeProvider()); // room for exactly 4
        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            Assert.True(cache.Set(KeyOf(name), Entry(new string('x', 500))));
        }

        Assert.True(cache.TryGet(KeyOf("a"), out _)); // a becomes the most recently used; b is now the oldest
        cache.Set(KeyOf("e"), Entry(new string('x', 500)));

        Assert.False(cache.TryGet(KeyOf("b"), out _));
        Assert.True(cache.TryGet(KeyOf("a"), out _));
        Assert.True(cache.TryGet(KeyOf("c"), out _));
        Assert.True(cache.TryGet(KeyOf("e"), out _));
        Assert.Equal(4, cache.Count);
        Assert.Equal(size * 4, cache.Bytes);
        Assert.Equal(1, cache.Evictions);
    }

    [Fact]
    public void Bytes_follow_replacements_and_removals_and_an_oversized_entry_is_refused()
    {
        var cache = new ResponseCache(64 * 1024, TimeSpan.FromMinutes(5), new ManualTimeProvider());
        var small = Entry("short");
        var larger = Entry(new string('y', 900));
        cache.Set(KeyOf("a"), small);
        cache.Set(KeyOf("a"), larger);
        Assert.Equal(larger.Size, cache.Bytes);
        Assert.Equal(1, cache.Count);

        Assert.False(cache.Set(KeyOf("huge"), Entry(RandomText(20_000), threshold: int.MaxValue))); // > a quarter of the bound
        Assert.False(cache.TryGet(KeyOf("huge"), out _));

        Assert.True(cache.Remove(KeyOf("a")));
        Assert.Equal(0, cache.Bytes);
    }

    [Fact]
    public void Answers_over_the_threshold_are_compressed_and_round_trip()
    {
        var text = string.Concat(Enumerable.Range(0, 200).Select(i => $"Line {i}: the quick brown fox — ünïcödé 🦊\n"));
        Assert.True(Encoding.UTF8.GetByteCount(text) > 1024);

        var entry = Entry(text);
        Assert.True(entry.IsCompressed);
        Assert.True(entry.PayloadLength < Encoding.UTF8.GetByteCount(text));
        Assert.Equal(text, entry.GetText());

        var small = Entry("short answer 🦊");
        Assert.False(small.IsCompressed);
        Assert.Equal("short answer 🦊", small.GetText());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("content_filter")]
    [InlineData("tool_calls")]
    public void Only_stop_or_length_answers_are_storable(string? reason)
    {
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "text")) { FinishReason = reason is null ? null : new ChatFinishReason(reason) };
        Assert.Null(CachedResponse.TryCreate(response, 1024));

        response.FinishReason = ChatFinishReason.Length;
        Assert.NotNull(CachedResponse.TryCreate(response, 1024));
    }

    [Fact]
    public void Answers_with_tool_calls_or_errors_are_not_storable()
    {
        var withCall = new ChatResponse(new ChatMessage(ChatRole.Assistant, [new TextContent("x"), new FunctionCallContent("c", "f")])) { FinishReason = ChatFinishReason.Stop };
        var withError = new ChatResponse(new ChatMessage(ChatRole.Assistant, [new ErrorContent("boom")])) { FinishReason = ChatFinishReason.Stop };
        var empty = new ChatResponse(new ChatMessage(ChatRole.Assistant, "")) { FinishReason = ChatFinishReason.Stop };
        Assert.Null(CachedResponse.TryCreate(empty, 1024));
        Assert.Null(CachedResponse.TryCreate(withCall, 1024));
        Assert.Null(CachedResponse.TryCreate(withError, 1024));
    }

    [Fact]
    public void Answers_that_used_tools_are_not_storable()
    {
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "It is 14:05."))
        {
            FinishReason = ChatFinishReason.Stop,
            AdditionalProperties = new() { [Cordial.Llm.Tools.ToolInvokingChatClient.ToolsUsedProperty] = true },
        };

        Assert.Null(CachedResponse.TryCreate(response, 1024));
    }

    [Fact]
    public async Task Parallel_gets_and_sets_keep_the_bounds_and_the_accounting()
    {
        var entry = Entry(new string('z', 300));
        var cache = new ResponseCache(entry.Size * 50, TimeSpan.FromMinutes(5), new ManualTimeProvider());
        var keys = Enumerable.Range(0, 200).Select(i => KeyOf("k" + i)).ToArray();

        await Parallel.ForAsync(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = TestContext.Current.CancellationToken }, (i, _) =>
        {
            var key = keys[(i * 7) % keys.Length];
            if (i % 3 == 0)
            {
                cache.Set(key, entry);
            }
            else if (cache.TryGet(key, out var hit))
            {
                Assert.Same(entry, hit);
            }

            if (i % 97 == 0)
            {
                cache.Remove(key);
            }

            return ValueTask.CompletedTask;
        });

        Assert.InRange(cache.Count, 1, 50);
        Assert.Equal(cache.Count * (long)entry.Size, cache.Bytes);
        Assert.True(cache.Evictions > 0);
        var present = keys.Count(k => cache.TryGet(k, out _));
        Assert.Equal(cache.Count, present);
    }

    private static string RandomText(int length)
    {
        var random = new Random(7);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = (char)random.Next(0x4E00, 0x9FFF);
        }

        return new string(chars);
    }
}
