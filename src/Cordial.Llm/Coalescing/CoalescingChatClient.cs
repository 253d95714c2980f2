using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Cordial.Llm.Caching;
using Cordial.Llm.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cordial.Llm.Coalescing;

/// <summary>
/// Makes identical requests in flight at the same time (same <see cref="ResponseCacheKey"/>, same streaming mode)
/// share one upstream call.
/// </summary>
/// <remarks>
/// <para>
/// A streaming call's updates fan out to every waiter, and each waiter gets the whole stream from the start, even one
/// that joined late (up to <see cref="CoalescingOptions.MaxBufferedUpdates"/> updates into the stream): a late joiner
/// first reads what was said so far with its text deltas merged into runs. The waiters share the update objects,
/// which are therefore read-only above this stage (no stage of the pipeline or the bot changes an update it is given).
/// A non-streaming call's response is shared, each waiter getting its own <see cref="ChatResponse"/> object. An
/// upstream failure reaches every waiter.
/// </para>
/// <para>
/// The upstream call does not run under any waiter's token: a waiter cancelling only detaches it; the upstream call
/// is cancelled when the last waiter leaves before it completed. At most <see cref="CoalescingOptions.MaxInFlight"/>
/// distinct calls are tracked; beyond that, requests go upstream on their own. Requests that cannot be keyed are
/// passed through.
/// </para>
/// <para>Thread-safe. Caller options are never modified; messages are enumerated once.</para>
/// </remarks>
public sealed partial class CoalescingChatClient : DelegatingChatClient
{
    private readonly Lock _gate = new();
    private readonly Dictionary<CoalescingKey, InFlightCall> _calls = [];
    private readonly bool _enabled;
    private readonly int _maxInFlight;
    private readonly int _maxBuffered;
    private readonly Counter<long>? _coalesced;
    private readonly ILogger _logger;

    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is invalid (the message names it).</exception>
    public CoalescingChatClient(IChatClient innerClient, CoalescingOptions? options = null, LlmMetrics? metrics = null, ILogger<CoalescingChatClient>? logger = null)
        : base(innerClient)
    {
        options = options?.Clone() ?? new CoalescingOptions();
        CoalescingOptionsValidator.ThrowIfInvalid(options);
        _enabled = options.Enabled;
        _maxInFlight = options.MaxInFlight;
        _maxBuffered = options.MaxBufferedUpdates;
        _coalesced = metrics?.Meter.CreateCounter<long>(CacheTelemetryConstants.Coalesced, "{request}", "Requests that shared an identical in-flight upstream call.");
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Distinct upstream calls currently shared (joinable).</summary>
    public int InFlightCount
    {
        get
        {
            lock (_gate)
            {
                return _calls.Count;
            }
        }
    }

    /// <summary>Waiters attached to the shared calls (for tests).</summary>
    internal int WaiterCount
    {
        get
        {
            lock (_gate)
            {
                return _calls.Values.Sum(c => c.Waiters);
            }
        }
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IList<ChatMessage> ?? [.. messages];
        if (!_enabled || !ResponseCacheKey.TryCompute(list, options, out var key))
        {
            return await base.GetResponseAsync(list, options, cancellationToken);
        }

        var (call, place, created) = Join(new CoalescingKey(key, Streaming: false));
        if (call is null)
        {
            return await base.GetResponseAsync(list, options, cancellationToken);
        }

        if (created)
        {
            _ = call.RunAsync(token => base.GetResponseAsync(list, options, token));
        }

        try
        {
            return Copy(await call.Response.WaitAsync(cancellationToken));
        }
        finally
        {
            call.Leave(place!);
        }
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return StreamAsync(messages, options, cancellationToken);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var list = messages as IList<ChatMessage> ?? [.. messages];
        InFlightCall? call = null;
        InFlightCall.Place? place = null;
        var created = false;
        if (_enabled && ResponseCacheKey.TryCompute(list, options, out var key))
        {
            (call, place, created) = Join(new CoalescingKey(key, Streaming: true));
        }

        if (call is null)
        {
            await foreach (var update in base.GetStreamingResponseAsync(list, options, cancellationToken).WithCancellation(cancellationToken))
            {
                yield return update;
            }

            yield break;
        }

        if (created)
        {
            _ = call.PumpAsync(token => base.GetStreamingResponseAsync(list, options, token));
        }

        try
        {
            await foreach (var update in call.ReadAsync(place!, cancellationToken))
            {
                yield return update;
            }
        }
        finally
        {
            call.Leave(place!);
        }
    }

    /// <summary>
    /// Joins the identical in-flight call, or starts tracking a new one (joined before it starts, so its first waiter
    /// gets every update as it comes); (null, null, false) when the map is full.
    /// </summary>
    private (InFlightCall? Call, InFlightCall.Place? Place, bool Created) Join(CoalescingKey key)
    {
        lock (_gate)
        {
            var found = _calls.TryGetValue(key, out var existing);
            if (found && existing!.TryJoin() is { } joined)
            {
                _coalesced?.Add(1, new KeyValuePair<string, object?>(TelemetryConstants.StreamingTag, key.Streaming));
                LogJoined(_logger, key.Streaming);
                return (existing, joined, false);
            }

            if (!found && _calls.Count >= _maxInFlight)
            {
                return (null, null, false);
            }

            var call = new InFlightCall(key, _maxBuffered, Detach);
            var place = call.TryJoin()!; // a new call accepts its first waiter
            _calls[key] = call;
            return (call, place, true);
        }
    }

    private void Detach(InFlightCall call)
    {
        lock (_gate)
        {
            if (_calls.TryGetValue(call.Key, out var current) && ReferenceEquals(current, call))
            {
                _calls.Remove(call.Key);
            }
        }
    }

    private static ChatResponse Copy(ChatResponse response) => new([.. response.Messages])
    {
        ResponseId = response.ResponseId,
        ConversationId = response.ConversationId,
        ModelId = response.ModelId,
        CreatedAt = response.CreatedAt,
        FinishReason = response.FinishReason,
        Usage = response.Usage,
        RawRepresentation = response.RawRepresentation,
        ContinuationToken = response.ContinuationToken,
        AdditionalProperties = response.AdditionalProperties is null ? null : new(response.AdditionalProperties),
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "LLM request joined an identical in-flight call (streaming: {Streaming})")]
    private static partial void LogJoined(ILogger logger, bool streaming);
}
