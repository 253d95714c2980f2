using BenchmarkDotNet.Attributes;
using Cordial.Llm.Caching;
using Microsoft.Extensions.AI;

namespace Cordial.Benchmarks.Caching;

/// <summary>
/// Cost of the response cache store: a hit lookup given a key (target ≤ 200 ns, 0 B), a store of an uncompressed
/// answer (target ≤ 1 µs), and, separately, the key computation for a 25-message conversation.
/// </summary>
[MemoryDiagnoser]
public class ResponseCacheBenchmarks
{
    private readonly List<ChatMessage> _conversation = [];
    private readonly ChatOptions _options = new()
    {
        ModelId = "small",
        Temperature = 0.7f,
        MaxOutputTokens = 800,
        Instructions = "You are Cordial, a friendly Discord bot.",
        AdditionalProperties = new() { ["cordial.guild_id"] = 123456789012345678UL },
    };

    private ResponseCache _cache = null!;
    private ResponseCache _full = null!;
    private ResponseCacheKey[] _manyKeys = null!;
    private ResponseCacheKey[] _keys = null!;
    private CachedResponse _entry = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _conversation.Add(new ChatMessage(ChatRole.System, "You are Cordial. Be helpful and brief."));
        for (var i = 0; i < 24; i++)
        {
            var role = i % 2 == 0 ? ChatRole.User : ChatRole.Assistant;
            _conversation.Add(new ChatMessage(role, $"Message {i}: a typical Discord line of chat about games, code and the weekend plans, nothing long.") { AuthorName = role == ChatRole.User ? "user" + (i % 3) : null });
        }

        _cache = new ResponseCache(32L * 1024 * 1024, TimeSpan.FromMinutes(5));
        _keys = new ResponseCacheKey[1024];
        _entry = CachedResponse.TryCreate(
            new ChatResponse(new ChatMessage(ChatRole.Assistant, "A short answer of a few hundred bytes, stored uncompressed because it is under the 1 KB threshold."))
            {
                FinishReason = ChatFinishReason.Stop,
                ModelId = "small",
                Usage = new UsageDetails { InputTokenCount = 500, OutputTokenCount = 30, TotalTokenCount = 530 },
            },
            1024)!;
        // Room for about 1000 entries, cycled through 4096 keys: every store inserts a new entry and evicts the oldest.
        _full = new ResponseCache(_entry.Size * 1000L, TimeSpan.FromMinutes(5));
        _manyKeys = new ResponseCacheKey[4096];
        for (var i = 0; i < _manyKeys.Length; i++)
        {
            ResponseCacheKey.TryCompute([new ChatMessage(ChatRole.User, "other prompt " + i)], _options, out _manyKeys[i]);
        }

        for (var i = 0; i < _keys.Length; i++)
        {
            ResponseCacheKey.TryCompute([new ChatMessage(ChatRole.User, "prompt " + i)], _options, out _keys[i]);
            _cache.Set(_keys[i], _entry);
        }
    }

    [Benchmark]
    public bool Hit_lookup()
    {
        var key = _keys[_next++ & 1023];
        return _cache.TryGet(key, out _);
    }

    /// <summary>Replaces an existing entry (same key stored again).</summary>
    [Benchmark]
    public bool Set_uncompressed() => _cache.Set(_keys[_next++ & 1023], _entry);

    [Benchmark]
    public bool Set_new_entry_evicting_oldest() => _full.Set(_manyKeys[_next++ & 4095], _entry);

    [Benchmark]
    public ResponseCacheKey Key_25_messages()
    {
        ResponseCacheKey.TryCompute(_conversation, _options, out var key);
        return key;
    }
}
