using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cordial.Llm.Pipeline;
using Cordial.Llm.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cordial.Llm.Caching;

/// <summary>
/// Serves repeated requests from a <see cref="ResponseCache"/>. The key (<see cref="ResponseCacheKey"/>) covers the
/// model, every parameter, the instructions and the whole conversation, so a different conversation never gets a
/// stale answer.
/// </summary>
/// <remarks>
/// <para>
/// Only complete, successful answers are stored: finish reason stop or length, text only (no tool calls, no error
/// content), a stream read to its end. A hit is replayed at once as a stream of text chunks (or one response),
/// with the stored <see cref="ChatResponse.ModelId"/>, finish reason and usage, every update / the response
/// carrying <see cref="CacheHitProperty"/> = true in AdditionalProperties.
/// </para>
/// <para>
/// Bypassed (neither read nor written): requests of the guilds in <see cref="CacheOptions.BypassGuildIds"/>
/// (<see cref="GuildIdProperty"/> in <see cref="ChatOptions.AdditionalProperties"/>), prompts whose last user
/// message matches a time-sensitive pattern, requests bound to server-side state
/// (<see cref="ChatOptions.ConversationId"/>, continuation tokens), and requests that cannot be keyed.
/// </para>
/// <para>Thread-safe. Caller options are never modified; messages are enumerated once.</para>
/// </remarks>
public sealed partial class ResponseCachingChatClient : DelegatingChatClient
{
    /// <summary>AdditionalProperties key set to true on every update / response served from the cache.</summary>
    public const string CacheHitProperty = "cordial.cache_hit";

    /// <summary><see cref="ChatOptions.AdditionalProperties"/> key holding the request's guild id (ulong, long or string).</summary>
    public const string GuildIdProperty = "cordial.guild_id";

    /// <summary>Longest text chunk (in characters) of a replayed hit.</summary>
    public const int ReplayChunkLength = 256;

    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    private readonly bool _enabled;
    private readonly int _compressionThreshold;
    private readonly Regex? _timeSensitive;
    private readonly HashSet<ulong> _bypassGuilds;
    private readonly ILogger _logger;
    private readonly Counter<long>? _hits;
    private readonly Counter<long>? _misses;
    private readonly Counter<long>? _bypasses;
    private readonly Counter<long>? _stores;

    /// <summary>
    /// Creates the stage. <paramref name="cache"/>, when given, is used (and may be shared); otherwise one is created
    /// from <paramref name="options"/> (defaults when null).
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is invalid (the message names it).</exception>
    public ResponseCachingChatClient(IChatClient innerClient, CacheOptions? options = null, TimeProvider? timeProvider = null, LlmMetrics? metrics = null, ILogger<ResponseCachingChatClient>? logger = null, ResponseCache? cache = null)
        : base(innerClient)
    {
        options = options?.Clone() ?? new CacheOptions();
        CacheOptionsValidator.ThrowIfInvalid(options);
        _enabled = options.Enabled;
        _compressionThreshold = options.CompressionThreshold;
        _bypassGuilds = [.. options.BypassGuildIds];
        var patterns = options.TimeSensitivePatterns ?? [.. CacheOptions.DefaultTimeSensitivePatterns];

        // Compiled: the check runs on every request before the model is asked; the interpreter took ~10 µs there under
        // load (its code and tables cold), compiled code a fraction of that (docs/PERFORMANCE.md, twelfth session).
        _timeSensitive = options.BypassTimeSensitive && patterns.Length > 0
            ? new Regex(string.Join('|', patterns.Select(p => "(?:" + p + ")")), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, MatchTimeout)
            : null;
        Cache = cache ?? new ResponseCache(options.MaxBytes, options.TimeToLive, timeProvider);
        _logger = (ILogger?)logger ?? NullLogger.Instance;

        if (metrics is not null)
        {
            var meter = metrics.Meter;
            _hits = meter.CreateCounter<long>(CacheTelemetryConstants.Hits, "{request}", "Requests answered from the response cache.");
            _misses = meter.CreateCounter<long>(CacheTelemetryConstants.Misses, "{request}", "Cacheable requests not found in the response cache.");
            _bypasses = meter.CreateCounter<long>(CacheTelemetryConstants.Bypasses, "{request}", "Requests that skipped the response cache, by reason.");
            _stores = meter.CreateCounter<long>(CacheTelemetryConstants.Stores, "{response}", "Answers stored in the response cache.");
            var store = Cache;
            meter.CreateObservableCounter(CacheTelemetryConstants.Evictions, () => store.Evictions + store.Expirations, "{entry}", "Entries evicted from the response cache (byte bound or expiry).");
            meter.CreateObservableGauge(CacheTelemetryConstants.Bytes, () => store.Bytes, "By", "Bytes held by the response cache.");
            meter.CreateObservableGauge(CacheTelemetryConstants.Entries, () => store.Count, "{entry}", "Entries held by the response cache.");
        }
    }

    /// <summary>The store (shared with whoever supplied it).</summary>
    public ResponseCache Cache { get; }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IList<ChatMessage> ?? [.. messages];
        if (!TryGetKey(list, options, out var key))
        {
            return await base.GetResponseAsync(list, options, cancellationToken);
        }

        if (TryHit(key, options, out var hit))
        {
            var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, hit.GetText()))
            {
                ModelId = hit.ModelId,
                FinishReason = hit.FinishReason,
                Usage = hit.GetUsage(),
                AdditionalProperties = HitProperties(hit),
            };
            return response;
        }

        var answer = await base.GetResponseAsync(list, options, cancellationToken);
        Store(key, answer, options);
        return answer;
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return StreamAsync(messages, options, cancellationToken);
    }

    /// <summary>The updates replaying a stored answer: text chunks of at most <see cref="ReplayChunkLength"/> characters, then finish reason and usage.</summary>
    internal static List<ChatResponseUpdate> Replay(CachedResponse hit)
    {
        var text = hit.GetText();
        var updates = new List<ChatResponseUpdate>((text.Length / ReplayChunkLength) + 2);
        var start = 0;
        while (start < text.Length)
        {
            var length = Math.Min(ReplayChunkLength, text.Length - start);
            if (start + length < text.Length && char.IsHighSurrogate(text[start + length - 1]))
            {
                length--; // never split a surrogate pair
            }

            updates.Add(HitUpdate(hit, [new TextContent(text.Substring(start, length))]));
            start += length;
        }

        var last = HitUpdate(hit, []);
        last.FinishReason = hit.FinishReason;
        if (hit.GetUsage() is { } usage)
        {
            last.Contents.Add(new UsageContent(usage));
        }

        updates.Add(last);
        return updates;
    }

    private static ChatResponseUpdate HitUpdate(CachedResponse hit, List<AIContent> contents) => new(ChatRole.Assistant, contents)
    {
        ModelId = hit.ModelId,
        AdditionalProperties = HitProperties(hit),
    };

    private static AdditionalPropertiesDictionary HitProperties(CachedResponse hit)
    {
        var properties = new AdditionalPropertiesDictionary { [CacheHitProperty] = true };
        if (hit.FallbackFrom is not null)
        {
            properties[Fallback.FallbackChatClient.FallbackFromProperty] = hit.FallbackFrom;
        }

        return properties;
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var list = messages as IList<ChatMessage> ?? [.. messages];
        if (!TryGetKey(list, options, out var key))
        {
            await foreach (var update in base.GetStreamingResponseAsync(list, options, cancellationToken).WithCancellation(cancellationToken))
            {
                yield return update;
            }

            yield break;
        }

        if (TryHit(key, options, out var hit))
        {
            foreach (var update in Replay(hit))
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return update;
            }

            yield break;
        }

        var seen = new UpdateRecorder();
        await foreach (var update in base.GetStreamingResponseAsync(list, options, cancellationToken).WithCancellation(cancellationToken))
        {
            seen.Add(update);
            yield return update;
        }

        // Reached only when the stream ended normally and the caller read it to the end.
        Store(key, seen.ToChatResponse(), options);
    }

    private bool TryGetKey(IList<ChatMessage> list, ChatOptions? options, out ResponseCacheKey key)
    {
        key = default;
        if (!_enabled)
        {
            return false;
        }

        var reason = BypassReason(list, options);
        if (reason is null)
        {
            if (ResponseCacheKey.TryCompute(list, options, out key))
            {
                return true;
            }

            reason = "unkeyable";
        }

        _bypasses?.Add(1, new KeyValuePair<string, object?>(CacheTelemetryConstants.ReasonTag, reason));
        LogBypassed(_logger, reason);
        return false;
    }

    private string? BypassReason(IList<ChatMessage> list, ChatOptions? options)
    {
        if (options is not null)
        {
            if (options.ConversationId is not null || options.ContinuationToken is not null)
            {
                return "conversation";
            }

            if (_bypassGuilds.Count > 0 && options.AdditionalProperties?.TryGetValue(GuildIdProperty, out var guild) == true && TryParseGuild(guild, out var id) && _bypassGuilds.Contains(id))
            {
                return "guild";
            }
        }

        if (_timeSensitive is not null && IsTimeSensitive(list))
        {
            return "time_sensitive";
        }

        return null;
    }

    private bool IsTimeSensitive(IList<ChatMessage> list)
    {
        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (list[i].Role != ChatRole.User)
            {
                continue;
            }

            try
            {
                return _timeSensitive!.IsMatch(list[i].Text);
            }
            catch (RegexMatchTimeoutException)
            {
                return true; // when in doubt, do not serve a possibly stale answer
            }
        }

        return false;
    }

    internal static bool TryParseGuild(object? value, out ulong id)
    {
        switch (value)
        {
            case ulong u:
                id = u;
                return true;
            case long l when l >= 0:
                id = (ulong)l;
                return true;
            case int i when i >= 0:
                id = (ulong)i;
                return true;
            case string s:
                return ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out id);
            case JsonElement { ValueKind: JsonValueKind.Number } n:
                return n.TryGetUInt64(out id);
            case JsonElement { ValueKind: JsonValueKind.String } s:
                return ulong.TryParse(s.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out id);
            default:
                id = 0;
                return false;
        }
    }

    private bool TryHit(in ResponseCacheKey key, ChatOptions? options, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CachedResponse? hit)
    {
        var model = new KeyValuePair<string, object?>(TelemetryConstants.ModelTag, options?.ModelId ?? "default");
        if (Cache.TryGet(key, out hit))
        {
            _hits?.Add(1, model);
            LogHit(_logger);
            return true;
        }

        _misses?.Add(1, model);
        return false;
    }

    private void Store(in ResponseCacheKey key, ChatResponse response, ChatOptions? options)
    {
        if (CachedResponse.TryCreate(response, _compressionThreshold) is { } entry && Cache.Set(key, entry))
        {
            _stores?.Add(1, new KeyValuePair<string, object?>(TelemetryConstants.ModelTag, options?.ModelId ?? "default"));
            LogStored(_logger, entry.PayloadLength, entry.IsCompressed);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "LLM response cache bypassed ({Reason})")]
    private static partial void LogBypassed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "LLM response served from the cache")]
    private static partial void LogHit(ILogger logger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "LLM response stored in the cache ({Bytes} bytes, compressed: {Compressed})")]
    private static partial void LogStored(ILogger logger, int bytes, bool compressed);
}
