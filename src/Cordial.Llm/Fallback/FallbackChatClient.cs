using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Cordial.Llm.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cordial.Llm.Fallback;

/// <summary>
/// Tries the requested model, then its fallbacks in order, until one answers. A model is skipped when it fails with
/// an <see cref="LlmProviderException"/> before producing any output (its circuit is open, retries were exhausted,
/// it timed out, it does not exist …). Once a model has streamed output, its failures propagate: the caller may
/// already have shown that output.
/// </summary>
/// <remarks>
/// Every answer names its model: <see cref="ChatResponseUpdate.ModelId"/> / <see cref="ChatResponse.ModelId"/> is set
/// to the configured name of the answering model, and when that is not the requested one
/// <see cref="FallbackFromProperty"/> in AdditionalProperties holds the requested model's name. When every model
/// fails, the last failure is rethrown. The caller's <see cref="ChatOptions"/> are never modified (each attempt gets
/// a clone with its model name). Thread-safe.
/// </remarks>
public sealed partial class FallbackChatClient : DelegatingChatClient
{
    /// <summary>AdditionalProperties key holding the requested model name when a fallback model answered.</summary>
    public const string FallbackFromProperty = "cordial.fallback_from";

    /// <summary>Longest chain tried (the requested model included); longer configured chains are cut.</summary>
    public const int MaxChainLength = 8;

    private readonly LlmMetrics? _metrics;
    private readonly ILogger _logger;

    public FallbackChatClient(IChatClient innerClient, LlmMetrics? metrics = null, ILogger<FallbackChatClient>? logger = null)
        : base(innerClient)
    {
        _metrics = metrics;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Maps a request's model name (null = the default model) to its configured name.</summary>
    /// <value>Default: the name itself, or <c>"default"</c> for null.</value>
    public Func<string?, string> ResolveModel { get; set; } = static model => model ?? "default";

    /// <summary>The ordered fallbacks of a configured model (not including the model itself).</summary>
    /// <value>Default: none.</value>
    public Func<string, IReadOnlyList<string>> ResolveFallbacks { get; set; } = static _ => [];

    /// <summary>Whether a failure (before output) moves on to the next model.</summary>
    /// <value>Default: every <see cref="LlmProviderException"/>.</value>
    public Func<LlmProviderException, bool> ShouldFallBack { get; set; } = static _ => true;

    /// <summary>The models tried for a request, in order: the requested model, then its fallbacks (deduplicated, at most <see cref="MaxChainLength"/>).</summary>
    public IReadOnlyList<string> GetChain(string? requestedModel)
    {
        var primary = ResolveModel(requestedModel);
        var chain = new List<string>(4) { primary };
        foreach (var fallback in ResolveFallbacks(primary))
        {
            if (chain.Count >= MaxChainLength)
            {
                break;
            }

            if (!string.IsNullOrWhiteSpace(fallback) && !chain.Contains(fallback, StringComparer.Ordinal))
            {
                chain.Add(fallback);
            }
        }

        return chain;
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IList<ChatMessage> ?? [.. messages];
        var chain = GetChain(options?.ModelId);
        ExceptionDispatchInfo? last = null;
        for (var i = 0; i < chain.Count; i++)
        {
            try
            {
                var response = await base.GetResponseAsync(list, WithModel(options, chain[i]), cancellationToken);
                response.ModelId = chain[i];
                if (i > 0)
                {
                    (response.AdditionalProperties ??= [])[FallbackFromProperty] = chain[0];
                    Answered(chain[0], chain[i]);
                }

                return response;
            }
            catch (LlmProviderException ex) when (ShouldFallBack(ex))
            {
                last = ExceptionDispatchInfo.Capture(ex);
                LogModelFailed(_logger, chain[i], ex.Kind, i + 1 < chain.Count);
            }
        }

        last!.Throw();
        throw new UnreachableException();
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return StreamAsync(messages, options, cancellationToken);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var list = messages as IList<ChatMessage> ?? [.. messages];
        var chain = GetChain(options?.ModelId);
        var (enumerator, index) = await StartAsync(list, options, chain, cancellationToken);
        if (enumerator is null)
        {
            yield break;
        }

        var answering = chain[index];
        var fallbackFrom = index > 0 ? chain[0] : null;
        if (fallbackFrom is not null)
        {
            Answered(fallbackFrom, answering);
        }

        try
        {
            do
            {
                var update = enumerator.Current;
                update.ModelId = answering;
                if (fallbackFrom is not null)
                {
                    (update.AdditionalProperties ??= [])[FallbackFromProperty] = fallbackFrom;
                }

                yield return update;
            }
            while (await enumerator.MoveNextAsync());
        }
        finally
        {
            await enumerator.DisposeAsync();
        }
    }

    /// <summary>Finds the first model in the chain that produces a first update; returns its enumerator positioned on it.</summary>
    private async Task<(IAsyncEnumerator<ChatResponseUpdate>? Enumerator, int Index)> StartAsync(IList<ChatMessage> list, ChatOptions? options, IReadOnlyList<string> chain, CancellationToken cancellationToken)
    {
        ExceptionDispatchInfo? last = null;
        for (var i = 0; i < chain.Count; i++)
        {
            IAsyncEnumerator<ChatResponseUpdate>? enumerator = null;
            try
            {
                enumerator = base.GetStreamingResponseAsync(list, WithModel(options, chain[i]), cancellationToken).GetAsyncEnumerator(cancellationToken);
                if (await enumerator.MoveNextAsync())
                {
                    return (enumerator, i);
                }

                // An empty answer is still an answer.
                await enumerator.DisposeAsync();
                return (null, i);
            }
            catch (LlmProviderException ex) when (ShouldFallBack(ex))
            {
                last = ExceptionDispatchInfo.Capture(ex);
                LogModelFailed(_logger, chain[i], ex.Kind, i + 1 < chain.Count);
                if (enumerator is not null)
                {
                    await DisposeQuietlyAsync(enumerator);
                }
            }
            catch
            {
                if (enumerator is not null)
                {
                    await DisposeQuietlyAsync(enumerator);
                }

                throw;
            }
        }

        last!.Throw();
        throw new UnreachableException();
    }

    private static async ValueTask DisposeQuietlyAsync(IAsyncEnumerator<ChatResponseUpdate> enumerator)
    {
        try
        {
            await enumerator.DisposeAsync();
        }
        catch (Exception ex) when (ex is LlmProviderException or OperationCanceledException or InvalidOperationException)
        {
            // The attempt already failed; a failing disposal adds nothing.
        }
    }

    private static ChatOptions WithModel(ChatOptions? options, string model)
    {
        var clone = options?.Clone() ?? new ChatOptions();
        clone.ModelId = model;
        return clone;
    }

    private void Answered(string requested, string answering)
    {
        LogFallbackAnswered(_logger, requested, answering);
        _metrics?.Fallbacks.Add(1, new KeyValuePair<string, object?>(TelemetryConstants.ModelTag, answering), new KeyValuePair<string, object?>("fallback_from", requested));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "LLM model {Model} failed before any output ({Kind}); trying the next model: {HasNext}")]
    private static partial void LogModelFailed(ILogger logger, string model, LlmFailureKind kind, bool hasNext);

    [LoggerMessage(Level = LogLevel.Information, Message = "LLM model {Requested} unavailable; fallback {Answering} answered")]
    private static partial void LogFallbackAnswered(ILogger logger, string requested, string answering);
}
