using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Cordial.Llm.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Cordial.Llm.Resilience;

/// <summary>
/// Timeouts, retries and a circuit breaker per provider, on Polly v8.
/// </summary>
/// <remarks>
/// <para>
/// Per request: a total timeout (<see cref="LlmResilienceOptions.TotalTimeout"/>, retries and streaming included) and,
/// for streaming, a first-token timeout per attempt. Both surface as <see cref="LlmProviderException"/> with
/// <see cref="LlmFailureKind.Timeout"/>.
/// </para>
/// <para>
/// Retries (exponential backoff with jitter; a <see cref="LlmFailureKind.RateLimited"/> failure waits its
/// Retry-After instead) happen only for transient failures (<see cref="LlmProviderException.IsTransient"/>) and
/// only before the first update was yielded. Once anything has been streamed to the caller a failure propagates
/// unchanged: the caller may already have shown that text (posted or edited a Discord message), and quietly
/// starting over would show a different answer glued to the first one.
/// </para>
/// <para>
/// The circuit breaker is per provider (<see cref="ResolveProvider"/>): closed → open after
/// <see cref="LlmResilienceOptions.BreakerFailureRatio"/> of at least <see cref="LlmResilienceOptions.BreakerMinimumThroughput"/>
/// attempts failed transiently within the sampling window → half-open after the break duration (one probe) →
/// closed on success. While open, calls fail fast with <see cref="LlmFailureKind.CircuitOpen"/> without reaching the
/// provider. A streaming attempt counts as a success once its first update arrives.
/// </para>
/// <para>Thread-safe. The Polly pipelines are built once per provider and reused.</para>
/// </remarks>
public sealed partial class ResilientChatClient : DelegatingChatClient
{
    private static readonly ResiliencePropertyKey<string> ModelKey = new("cordial.model");

    private readonly TimeSpan _firstTokenTimeout;
    private readonly TimeSpan _totalTimeout;
    private readonly int _maxRetries;
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;
    private readonly TimeSpan _maxRetryAfter;
    private readonly double _failureRatio;
    private readonly int _minimumThroughput;
    private readonly TimeSpan _samplingDuration;
    private readonly TimeSpan _breakDuration;
    private readonly TimeProvider _timeProvider;
    private readonly LlmMetrics? _metrics;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, ProviderPipeline> _pipelines = new(StringComparer.Ordinal);

    public ResilientChatClient(IChatClient innerClient, LlmResilienceOptions? options = null, TimeProvider? timeProvider = null, LlmMetrics? metrics = null, ILogger<ResilientChatClient>? logger = null)
        : base(innerClient)
    {
        options ??= new LlmResilienceOptions();
        LlmResilienceOptionsValidator.ThrowIfInvalid(options);
        _firstTokenTimeout = options.FirstTokenTimeout;
        _totalTimeout = options.TotalTimeout;
        _maxRetries = options.MaxRetries;
        _baseDelay = options.BaseDelay;
        _maxDelay = options.MaxDelay;
        _maxRetryAfter = options.MaxRetryAfter;
        _failureRatio = options.BreakerFailureRatio;
        _minimumThroughput = options.BreakerMinimumThroughput;
        _samplingDuration = options.BreakerSamplingDuration;
        _breakDuration = options.BreakerBreakDuration;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _metrics = metrics;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Maps the request's model name (<see cref="ChatOptions.ModelId"/>, null for the default) to the provider whose breaker guards it.</summary>
    /// <value>Default: the model name itself (or <c>"default"</c>), i.e. one breaker per model.</value>
    public Func<string?, string> ResolveProvider { get; set; } = static model => model ?? "default";

    /// <summary>Source of jitter in [0, 1); injectable so tests are deterministic.</summary>
    /// <value>Default: <see cref="Random.Shared"/>.</value>
    public Func<double> JitterSource { get; set; } = Random.Shared.NextDouble;

    /// <summary>The circuit state of a provider (<see cref="CircuitState.Closed"/> when it has not been called yet).</summary>
    public CircuitState GetCircuitState(string provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return _pipelines.TryGetValue(provider, out var p) ? p.State.CircuitState : CircuitState.Closed;
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IList<ChatMessage> ?? [.. messages];
        var model = options?.ModelId;
        var provider = ResolveProviderName(model);
        var pipeline = GetPipeline(provider);
        using var requestCts = new CancellationTokenSource(_totalTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, requestCts.Token);
        var context = ResilienceContextPool.Shared.Get(linked.Token);
        context.Properties.Set(ModelKey, model ?? "default");
        try
        {
            return await pipeline.Pipeline.ExecuteAsync(
                static (ctx, state) => new ValueTask<ChatResponse>(state.Self.InnerClient.GetResponseAsync(state.List, state.Options, ctx.CancellationToken)),
                context,
                (Self: this, List: list, Options: options));
        }
        catch (BrokenCircuitException ex)
        {
            throw CircuitOpen(ex, provider, model);
        }
        catch (OperationCanceledException ex) when (requestCts.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw TotalTimeout(ex, provider, model);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
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
        var model = options?.ModelId;
        var provider = ResolveProviderName(model);
        using var requestCts = new CancellationTokenSource(_totalTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, requestCts.Token);
        await using var attempt = await StartStreamAsync(list, options, model, provider, requestCts, linked.Token, cancellationToken);
        if (!attempt.HasFirst)
        {
            yield break;
        }

        yield return attempt.Enumerator.Current;

        // From here on output is visible: no retry, failures propagate (a total timeout becomes Timeout).
        while (true)
        {
            ChatResponseUpdate update;
            try
            {
                if (!await attempt.Enumerator.MoveNextAsync())
                {
                    yield break;
                }

                update = attempt.Enumerator.Current;
            }
            catch (OperationCanceledException ex) when (requestCts.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw TotalTimeout(ex, provider, model);
            }

            yield return update;
        }
    }

    private async Task<StreamAttempt> StartStreamAsync(IList<ChatMessage> list, ChatOptions? options, string? model, string provider, CancellationTokenSource requestCts, CancellationToken requestToken, CancellationToken callerToken)
    {
        var pipeline = GetPipeline(provider);
        var context = ResilienceContextPool.Shared.Get(requestToken);
        context.Properties.Set(ModelKey, model ?? "default");
        try
        {
            return await pipeline.Pipeline.ExecuteAsync(
                static (ctx, state) => new ValueTask<StreamAttempt>(state.Self.AttemptStreamAsync(state.List, state.Options, state.Model, state.Provider, ctx.CancellationToken)),
                context,
                (Self: this, List: list, Options: options, Model: model, Provider: provider));
        }
        catch (BrokenCircuitException ex)
        {
            throw CircuitOpen(ex, provider, model);
        }
        catch (OperationCanceledException ex) when (requestCts.IsCancellationRequested && !callerToken.IsCancellationRequested)
        {
            throw TotalTimeout(ex, provider, model);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>One attempt: starts the inner stream and waits for its first update under the first-token timeout.</summary>
    private async Task<StreamAttempt> AttemptStreamAsync(IList<ChatMessage> list, ChatOptions? options, string? model, string provider, CancellationToken requestToken)
    {
        var firstTokenCts = new CancellationTokenSource(_firstTokenTimeout, _timeProvider);
        var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(requestToken, firstTokenCts.Token);
        IAsyncEnumerator<ChatResponseUpdate>? enumerator = null;
        try
        {
            enumerator = InnerClient.GetStreamingResponseAsync(list, options, attemptCts.Token).GetAsyncEnumerator(attemptCts.Token);
            var hasFirst = await enumerator.MoveNextAsync();
            firstTokenCts.Dispose(); // stops the first-token timer; the attempt token now follows the request only
            if (firstTokenCts.IsCancellationRequested && !requestToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(attemptCts.Token);
            }

            return new StreamAttempt(enumerator, attemptCts, hasFirst);
        }
        catch (Exception ex)
        {
            if (enumerator is not null)
            {
                await DisposeQuietlyAsync(enumerator);
            }

            attemptCts.Dispose();
            firstTokenCts.Dispose();
            if (ex is OperationCanceledException && firstTokenCts.IsCancellationRequested && !requestToken.IsCancellationRequested)
            {
                throw new LlmProviderException(LlmFailureKind.Timeout, $"No first token from model '{model ?? "default"}' within {_firstTokenTimeout.TotalSeconds:0.###} s.", ex)
                {
                    Provider = provider,
                    Model = model,
                };
            }

            throw;
        }
    }

    private static async ValueTask DisposeQuietlyAsync(IAsyncEnumerator<ChatResponseUpdate> enumerator)
    {
        try
        {
            await enumerator.DisposeAsync();
        }
        catch (Exception ex) when (ex is LlmProviderException or OperationCanceledException or InvalidOperationException)
        {
            // The attempt already failed; its disposal failing too adds nothing the caller can act on.
        }
    }

    private string ResolveProviderName(string? model)
    {
        try
        {
            return ResolveProvider(model) ?? "default";
        }
        catch (KeyNotFoundException ex)
        {
            throw new LlmProviderException(LlmFailureKind.ModelNotFound, $"Model '{model}' is not configured.", ex) { Model = model };
        }
    }

    private ProviderPipeline GetPipeline(string provider) =>
        _pipelines.TryGetValue(provider, out var existing) ? existing : _pipelines.GetOrAdd(provider, CreatePipeline);

    private ProviderPipeline CreatePipeline(string provider)
    {
        var stateProvider = new CircuitBreakerStateProvider();
        var builder = new ResiliencePipelineBuilder { TimeProvider = _timeProvider, Name = "cordial-llm", InstanceName = provider };
        if (_maxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = _maxRetries,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome.Exception)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(RetryDelay(args.AttemptNumber, args.Outcome.Exception)),
                OnRetry = args =>
                {
                    var kind = (args.Outcome.Exception as LlmProviderException)?.Kind ?? LlmFailureKind.Unknown;
                    var model = args.Context.Properties.GetValue(ModelKey, "default");
                    LogRetry(_logger, model, provider, kind, args.AttemptNumber + 1, args.RetryDelay.TotalSeconds);
                    _metrics?.Retries.Add(1, new KeyValuePair<string, object?>(TelemetryConstants.ProviderTag, provider), new KeyValuePair<string, object?>(TelemetryConstants.ErrorKindTag, kind.ToString()));
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = _failureRatio,
            MinimumThroughput = _minimumThroughput,
            SamplingDuration = _samplingDuration,
            BreakDuration = _breakDuration,
            StateProvider = stateProvider,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is LlmProviderException { IsTransient: true }),
            OnOpened = args =>
            {
                LogCircuitOpened(_logger, provider, args.BreakDuration.TotalSeconds);
                RecordTransition(provider, "open");
                return ValueTask.CompletedTask;
            },
            OnHalfOpened = _ =>
            {
                LogCircuitHalfOpened(_logger, provider);
                RecordTransition(provider, "half_open");
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                LogCircuitClosed(_logger, provider);
                RecordTransition(provider, "closed");
                return ValueTask.CompletedTask;
            },
        });

        return new ProviderPipeline(builder.Build(), stateProvider);
    }

    private void RecordTransition(string provider, string state) =>
        _metrics?.CircuitTransitions.Add(1, new KeyValuePair<string, object?>(TelemetryConstants.ProviderTag, provider), new KeyValuePair<string, object?>(TelemetryConstants.CircuitStateTag, state));

    private bool ShouldRetry(Exception? exception) =>
        exception is LlmProviderException { IsTransient: true } llm
        && !(llm.Kind == LlmFailureKind.RateLimited && llm.RetryAfter is { } retryAfter && retryAfter > _maxRetryAfter);

    /// <summary>Retry-After for rate limits, else exponential backoff with "equal jitter" (half fixed, half random).</summary>
    internal TimeSpan RetryDelay(int attemptNumber, Exception? exception)
    {
        if (exception is LlmProviderException { Kind: LlmFailureKind.RateLimited, RetryAfter: { } retryAfter } && retryAfter >= TimeSpan.Zero)
        {
            return retryAfter;
        }

        var exponential = _baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attemptNumber, 30));
        var capped = Math.Min(exponential, _maxDelay.TotalMilliseconds);
        var jitter = Math.Clamp(JitterSource(), 0, 1);
        return TimeSpan.FromMilliseconds((capped / 2) + (jitter * capped / 2));
    }

    private static LlmProviderException CircuitOpen(BrokenCircuitException ex, string provider, string? model) =>
        new(LlmFailureKind.CircuitOpen, $"The circuit for provider '{provider}' is open; the call was not attempted.", ex)
        {
            Provider = provider,
            Model = model,
            RetryAfter = ex.RetryAfter,
        };

    private LlmProviderException TotalTimeout(OperationCanceledException ex, string provider, string? model) =>
        new(LlmFailureKind.Timeout, $"The request to model '{model ?? "default"}' did not complete within {_totalTimeout.TotalSeconds:0.###} s.", ex)
        {
            Provider = provider,
            Model = model,
        };

    [LoggerMessage(Level = LogLevel.Warning, Message = "LLM call to model {Model} (provider {Provider}) failed with {Kind}; retry {Attempt} in {DelaySeconds} s")]
    private static partial void LogRetry(ILogger logger, string model, string provider, LlmFailureKind kind, int attempt, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Circuit for LLM provider {Provider} opened for {BreakSeconds} s")]
    private static partial void LogCircuitOpened(ILogger logger, string provider, double breakSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Circuit for LLM provider {Provider} half-open: probing")]
    private static partial void LogCircuitHalfOpened(ILogger logger, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Circuit for LLM provider {Provider} closed")]
    private static partial void LogCircuitClosed(ILogger logger, string provider);

    private sealed record ProviderPipeline(ResiliencePipeline Pipeline, CircuitBreakerStateProvider State);

    /// <summary>A started stream: the enumerator positioned on its first update (when there is one).</summary>
    private sealed class StreamAttempt(IAsyncEnumerator<ChatResponseUpdate> enumerator, CancellationTokenSource attemptCts, bool hasFirst) : IAsyncDisposable
    {
        public IAsyncEnumerator<ChatResponseUpdate> Enumerator { get; } = enumerator;

        public bool HasFirst { get; } = hasFirst;

        public async ValueTask DisposeAsync()
        {
            try
            {
                await Enumerator.DisposeAsync();
            }
            finally
            {
                attemptCts.Dispose();
            }
        }
    }
}
