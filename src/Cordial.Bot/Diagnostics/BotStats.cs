using System.Diagnostics.Metrics;

namespace Cordial.Bot.Diagnostics;

/// <summary>
/// The bot's own overhead and counters, for <c>GET /stats</c> and the load test (docs/OPERATIONS.md):
/// <list type="bullet">
/// <item><see cref="MessageToRequest"/>: from the gateway frame that completed a MESSAGE_CREATE to the moment the LLM
/// request is handed to the provider client (first provider call of a reply only);</item>
/// <item><see cref="TokenToDiscord"/>: from new model text reaching the reply streamer to the Discord call that carries
/// it, counted from when the streamer was free to make that call (rate-limit pacing and Discord's own time are not
/// overhead and are left out);</item>
/// <item>messages received, replies completed, replies failed.</item>
/// </list>
/// Also published as instruments of the meter <see cref="MeterName"/> (observable: nothing is computed until a
/// listener collects).
/// </summary>
/// <remarks>
/// Thread-safe; recording is lock-free and allocation-free (one timestamp, one interlocked increment). Timestamps
/// are <see cref="TimeProvider.GetTimestamp"/> values of <see cref="Time"/>, the clock every recorder shares.
/// </remarks>
public sealed class BotStats : IDisposable
{
    /// <summary>The meter the instruments are published on.</summary>
    public const string MeterName = "Cordial.Bot";

    private readonly double _nanosecondsPerTick;
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private long _messagesReceived;
    private long _repliesCompleted;
    private long _repliesFailed;
    private long _resetAt;

    /// <summary>Creates the stats; instruments go on a meter from <paramref name="meterFactory"/>, or a private one.</summary>
    /// <param name="timeProvider">The clock of every timestamp recorded here.</param>
    /// <param name="meterFactory">Where the meter comes from; null for a private meter (disposed with this object).</param>
    public BotStats(TimeProvider timeProvider, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        Time = timeProvider;
        _nanosecondsPerTick = 1e9 / timeProvider.TimestampFrequency;
        StartedAt = timeProvider.GetTimestamp();
        _resetAt = StartedAt;
        if (meterFactory is null)
        {
            _meter = new Meter(MeterName);
            _ownsMeter = true;
        }
        else
        {
            _meter = meterFactory.Create(new MeterOptions(MeterName));
        }

        _meter.CreateObservableCounter("cordial.bot.messages_received", () => MessagesReceived, "{message}", "MESSAGE_CREATE events handled.");
        _meter.CreateObservableCounter(
            "cordial.bot.replies",
            () => (IEnumerable<Measurement<long>>)
            [
                new(RepliesCompleted, new KeyValuePair<string, object?>("outcome", "completed")),
                new(RepliesFailed, new KeyValuePair<string, object?>("outcome", "failed")),
            ],
            "{reply}",
            "Replies finished, by outcome.");
        _meter.CreateObservableGauge("cordial.bot.overhead.message_to_request", () => Quantiles(MessageToRequest), "us", "Bot overhead from MESSAGE_CREATE received to LLM request handed to the provider.");
        _meter.CreateObservableGauge("cordial.bot.overhead.token_to_discord", () => Quantiles(TokenToDiscord), "us", "Bot overhead from model text received to the Discord call carrying it.");
        _meter.CreateObservableGauge("cordial.bot.interaction_ack", () => Quantiles(InteractionToAck), "us", "From an interaction received to Discord's answer to its acknowledgement (must stay under 3 s).");
    }

    /// <summary>The meter the instruments are on.</summary>
    internal Meter Meter => _meter;

    /// <summary>The clock of every timestamp given to this object.</summary>
    public TimeProvider Time { get; }

    /// <summary>When this object was created (a <see cref="Time"/> timestamp).</summary>
    public long StartedAt { get; }

    /// <summary>When the figures were last zeroed (a <see cref="Time"/> timestamp; creation before any reset).</summary>
    public long ResetAt => Interlocked.Read(ref _resetAt);

    /// <summary>MESSAGE_CREATE received → LLM request handed to the provider.</summary>
    public LatencyHistogram MessageToRequest { get; } = new();

    /// <summary>Model text received → Discord call carrying it started (excluding pacing).</summary>
    public LatencyHistogram TokenToDiscord { get; } = new();

    /// <summary>
    /// INTERACTION_CREATE frame read → Discord's answer to the first callback (defer or reply): Discord forgets an
    /// interaction not acknowledged within 3 s, so this is the figure a /chat user depends on (Discord's own time included).
    /// </summary>
    public LatencyHistogram InteractionToAck { get; } = new();

    public long MessagesReceived => Interlocked.Read(ref _messagesReceived);

    public long RepliesCompleted => Interlocked.Read(ref _repliesCompleted);

    public long RepliesFailed => Interlocked.Read(ref _repliesFailed);

    /// <summary>Counts one message received from the gateway.</summary>
    public void CountMessageReceived() => Interlocked.Increment(ref _messagesReceived);

    /// <summary>Counts one reply that ended: delivered whole (or cut at the length limit), or failed.</summary>
    public void CountReply(bool completed) => Interlocked.Increment(ref completed ? ref _repliesCompleted : ref _repliesFailed);

    /// <summary>Records now − <paramref name="startTimestamp"/> (a <see cref="Time"/> timestamp) into <paramref name="histogram"/>.</summary>
    public void RecordSince(LatencyHistogram histogram, long startTimestamp) => RecordBetween(histogram, startTimestamp, Time.GetTimestamp());

    /// <summary>Records <paramref name="end"/> − <paramref name="start"/> (<see cref="Time"/> timestamps) into <paramref name="histogram"/>.</summary>
    public void RecordBetween(LatencyHistogram histogram, long start, long end)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        histogram.RecordNanoseconds((long)((end - start) * _nanosecondsPerTick));
    }

    /// <summary>
    /// A callback for the LLM pipeline's innermost stage, which invokes it just before each provider call: the first
    /// invocation records <see cref="MessageToRequest"/> from <paramref name="receivedTimestamp"/>; later ones (retries,
    /// fallbacks, tool rounds) are ignored.
    /// </summary>
    public Action RequestStartedCallback(long receivedTimestamp) => new RequestStart(this, receivedTimestamp).Fire;

    /// <summary>Zeroes the histograms and counters (to drop a warm-up); process figures are not affected.</summary>
    public void Reset()
    {
        MessageToRequest.Reset();
        TokenToDiscord.Reset();
        InteractionToAck.Reset();
        Interlocked.Exchange(ref _messagesReceived, 0);
        Interlocked.Exchange(ref _repliesCompleted, 0);
        Interlocked.Exchange(ref _repliesFailed, 0);
        Interlocked.Exchange(ref _resetAt, Time.GetTimestamp());
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private static IEnumerable<Measurement<double>> Quantiles(LatencyHistogram histogram)
    {
        var snapshot = histogram.Snapshot();
        if (snapshot.Count == 0)
        {
            return [];
        }

        return
        [
            new(snapshot.PercentileNanoseconds(50) / 1000, new KeyValuePair<string, object?>("quantile", "0.5")),
            new(snapshot.PercentileNanoseconds(95) / 1000, new KeyValuePair<string, object?>("quantile", "0.95")),
            new(snapshot.PercentileNanoseconds(99) / 1000, new KeyValuePair<string, object?>("quantile", "0.99")),
        ];
    }

    /// <summary>One reply's "request handed to the provider" moment, recorded once.</summary>
    private sealed class RequestStart(BotStats owner, long receivedTimestamp)
    {
        private int _fired;

        public void Fire()
        {
            if (Interlocked.Exchange(ref _fired, 1) == 0)
            {
                owner.RecordSince(owner.MessageToRequest, receivedTimestamp);
            }
        }
    }
}
