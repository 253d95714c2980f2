using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cordial.Llm.Telemetry;

/// <summary>
/// Records metrics (<see cref="TelemetryConstants"/>) and an activity for every chat request: requests, errors by
/// kind, time to first token, tokens per second, input/output tokens (from <see cref="UsageContent"/>) and duration,
/// tagged with provider and model. Never records prompt or answer content.
/// </summary>
/// <remarks>
/// The model tag is the answering model (<see cref="ChatResponseUpdate.ModelId"/>, which the fallback stage sets to
/// the configured model name) or else the requested one. Thread-safe; disposing disposes the inner client and the
/// metrics when this stage created them.
/// </remarks>
public sealed partial class TelemetryChatClient : DelegatingChatClient
{
    private static readonly ActivitySource Source = new(TelemetryConstants.ActivitySourceName);

    private readonly LlmMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public TelemetryChatClient(IChatClient innerClient, LlmMetrics? metrics = null, TimeProvider? timeProvider = null, ILogger<TelemetryChatClient>? logger = null)
        : base(innerClient)
    {
        OwnsMetrics = metrics is null;
        _metrics = metrics ?? new LlmMetrics();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Maps a configured model name to its provider name for the provider tag.</summary>
    /// <value>Default: every model is tagged with provider <see cref="TelemetryConstants.Unknown"/>.</value>
    public Func<string, string?> ResolveProvider { get; set; } = static _ => null;

    /// <summary>The model name used for tags when the request names none.</summary>
    /// <value>Default: <c>"default"</c>.</value>
    public string DefaultModelName
    {
        get;
        set
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value);
            field = value;
        }
    } = "default";

    internal LlmMetrics Metrics => _metrics;

    /// <summary>Whether disposing this stage disposes <see cref="Metrics"/> (true when the stage created them).</summary>
    internal bool OwnsMetrics { get; set; }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var measurement = Start(options, streaming: false);
        try
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken);
            measurement.ObserveModel(response.ModelId);
            if (response.Usage is { } usage)
            {
                measurement.ObserveUsage(usage);
            }

            measurement.Complete(error: null, cancellationToken);
            return response;
        }
        catch (Exception ex)
        {
            measurement.Complete(ex, cancellationToken);
            throw;
        }
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return StreamAsync(messages, options, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && OwnsMetrics)
        {
            _metrics.Dispose();
        }

        base.Dispose(disposing);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var measurement = Start(options, streaming: true);
        IAsyncEnumerator<ChatResponseUpdate> enumerator;
        try
        {
            enumerator = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        }
        catch (Exception ex)
        {
            measurement.Complete(ex, cancellationToken);
            throw;
        }

        Exception? failure = null;
        try
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await enumerator.MoveNextAsync())
                    {
                        break;
                    }

                    update = enumerator.Current;
                }
                catch (Exception ex)
                {
                    failure = ex;
                    throw;
                }

                measurement.ObserveUpdate(update);
                yield return update;
            }
        }
        finally
        {
            measurement.Complete(failure, cancellationToken);
            await enumerator.DisposeAsync();
        }
    }

    private Measurement Start(ChatOptions? options, bool streaming)
    {
        var model = options?.ModelId ?? DefaultModelName;
        return new Measurement(this, model, streaming);
    }

    private string ProviderOf(string model)
    {
        try
        {
            return ResolveProvider(model) ?? TelemetryConstants.Unknown;
        }
        catch (KeyNotFoundException)
        {
            return TelemetryConstants.Unknown;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "LLM request to model {Model} (provider {Provider}) failed: {Kind}")]
    private static partial void LogFailed(ILogger logger, string model, string provider, string kind);

    [LoggerMessage(Level = LogLevel.Debug, Message = "LLM request to model {Model} (provider {Provider}) completed: {InputTokens} input tokens, {OutputTokens} output tokens")]
    private static partial void LogCompleted(ILogger logger, string model, string provider, long inputTokens, long outputTokens);

    /// <summary>Per-request state; not shared between threads.</summary>
    private sealed class Measurement
    {
        private readonly TelemetryChatClient _owner;
        private readonly bool _streaming;
        private readonly long _started;
        private readonly Activity? _activity;
        private string _model;
        private long _firstToken;
        private bool _sawFirst;
        private long _inputTokens;
        private long _outputTokens;
        private bool _completed;

        public Measurement(TelemetryChatClient owner, string model, bool streaming)
        {
            _owner = owner;
            _model = model;
            _streaming = streaming;
            _started = owner._timeProvider.GetTimestamp();
            _activity = Source.HasListeners() ? Source.StartActivity("chat " + model, ActivityKind.Client) : null;
            _activity?.SetTag(TelemetryConstants.StreamingTag, streaming);
        }

        public void ObserveModel(string? modelId)
        {
            if (!string.IsNullOrEmpty(modelId))
            {
                _model = modelId;
            }
        }

        public void ObserveUsage(UsageDetails usage)
        {
            _inputTokens += usage.InputTokenCount ?? 0;
            _outputTokens += usage.OutputTokenCount ?? 0;
        }

        public void ObserveUpdate(ChatResponseUpdate update)
        {
            if (!_sawFirst)
            {
                _sawFirst = true;
                _firstToken = _owner._timeProvider.GetTimestamp();
                ObserveModel(update.ModelId);
                var tags = Tags();
                _owner._metrics.TimeToFirstToken.Record(_owner._timeProvider.GetElapsedTime(_started, _firstToken).TotalSeconds, tags);
            }

            var contents = update.Contents;
            for (var i = 0; i < contents.Count; i++)
            {
                if (contents[i] is UsageContent usage)
                {
                    ObserveUsage(usage.Details);
                }
            }
        }

        public void Complete(Exception? error, CancellationToken cancellationToken)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            var end = _owner._timeProvider.GetTimestamp();
            var provider = _owner.ProviderOf(_model);
            var tags = Tags(provider);
            var metrics = _owner._metrics;
            metrics.Requests.Add(1, tags);
            metrics.RequestDuration.Record(_owner._timeProvider.GetElapsedTime(_started, end).TotalSeconds, tags);

            if (_inputTokens > 0)
            {
                metrics.InputTokens.Add(_inputTokens, tags);
            }

            if (_outputTokens > 0)
            {
                metrics.OutputTokens.Add(_outputTokens, tags);
                var generationStart = _streaming && _sawFirst ? _firstToken : _started;
                var seconds = _owner._timeProvider.GetElapsedTime(generationStart, end).TotalSeconds;
                if (seconds > 0)
                {
                    metrics.TokensPerSecond.Record(_outputTokens / seconds, tags);
                }
            }

            if (error is not null && !(error is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                var kind = error is LlmProviderException llm ? llm.Kind.ToString() : nameof(LlmFailureKind.Unknown);
                metrics.Errors.Add(1, new KeyValuePair<string, object?>(TelemetryConstants.ProviderTag, provider), new KeyValuePair<string, object?>(TelemetryConstants.ModelTag, _model), new KeyValuePair<string, object?>(TelemetryConstants.ErrorKindTag, kind));
                LogFailed(_owner._logger, _model, provider, kind);
                _activity?.SetStatus(ActivityStatusCode.Error, kind);
                _activity?.SetTag(TelemetryConstants.ErrorKindTag, kind);
            }
            else
            {
                LogCompleted(_owner._logger, _model, provider, _inputTokens, _outputTokens);
            }

            if (_activity is not null)
            {
                _activity.SetTag(TelemetryConstants.ProviderTag, provider);
                _activity.SetTag(TelemetryConstants.ModelTag, _model);
                _activity.SetTag(TelemetryConstants.InputTokens, _inputTokens);
                _activity.SetTag(TelemetryConstants.OutputTokens, _outputTokens);
                _activity.Dispose();
            }
        }

        private TagList Tags(string? provider = null) =>
            new()
            {
                { TelemetryConstants.ProviderTag, provider ?? _owner.ProviderOf(_model) },
                { TelemetryConstants.ModelTag, _model },
            };
    }
}
