using System.Runtime.CompilerServices;
using Cordial.Llm.Pipeline;
using Cordial.Llm.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cordial.Llm.Tools;

/// <summary>
/// Our tool invocation loop: offers the <see cref="ToolRegistry"/> tools (plus any <see cref="AIFunction"/> in the
/// caller's <see cref="ChatOptions.Tools"/>) to the model, runs the calls it asks for, sends the results back, and
/// repeats for at most <see cref="ToolOptions.MaxRounds"/> rounds; then the model is asked once more with tool use
/// disabled so that it answers in text.
/// </summary>
/// <remarks>
/// <para>
/// A failing, unknown or slow tool never throws at the caller: the model receives a
/// <see cref="FunctionResultContent"/> whose result is an error text (and may apologise or try something else).
/// Each invocation is bounded by <see cref="ToolOptions.ToolTimeout"/>; the caller's cancellation still cancels.
/// </para>
/// <para>
/// Streaming: function calls are removed from what the caller sees (the rounds themselves are not shown); text the
/// model streams, including the final answer, passes through as it arrives. Usage of every round is passed on.
/// </para>
/// <para>The caller's messages are enumerated once and never modified; options are cloned. Thread-safe.</para>
/// </remarks>
public sealed partial class ToolInvokingChatClient : DelegatingChatClient
{
    /// <summary>
    /// Set (true) in AdditionalProperties of every update streamed after a tool ran: the answer depends on tool results
    /// (a clock, a lookup), so the response cache must not store it.
    /// </summary>
    public const string ToolsUsedProperty = "cordial.tools_used";

    private readonly ToolRegistry _registry;
    private readonly int _maxRounds;
    private readonly TimeSpan _toolTimeout;
    private readonly int _maxCallsPerRound;
    private readonly bool _includeDetailedErrors;
    private readonly TimeProvider _timeProvider;
    private readonly LlmMetrics? _metrics;
    private readonly ILogger _logger;

    public ToolInvokingChatClient(IChatClient innerClient, ToolRegistry? registry = null, ToolOptions? options = null, TimeProvider? timeProvider = null, LlmMetrics? metrics = null, ILogger<ToolInvokingChatClient>? logger = null)
        : base(innerClient)
    {
        options ??= new ToolOptions();
        ToolOptionsValidator.ThrowIfInvalid(options);
        _registry = registry ?? new ToolRegistry();
        _maxRounds = options.MaxRounds;
        _toolTimeout = options.ToolTimeout;
        _maxCallsPerRound = options.MaxCallsPerRound;
        _includeDetailedErrors = options.IncludeDetailedErrors;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _metrics = metrics;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The registry whose tools this stage offers.</summary>
    public ToolRegistry Registry => _registry;

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var toolOptions = PrepareOptions(options);
        if (toolOptions is null)
        {
            return await base.GetResponseAsync(messages, options, cancellationToken);
        }

        List<ChatMessage> history = [.. messages];
        UsageDetails? usage = null;
        for (var round = 0; ; round++)
        {
            var lastRound = round >= _maxRounds;
            var response = await base.GetResponseAsync(history, lastRound ? WithoutToolUse(toolOptions) : toolOptions, cancellationToken);
            usage = Add(usage, response.Usage);
            var calls = CollectCalls(response.Messages);
            if (calls.Count == 0 || lastRound)
            {
                if (calls.Count > 0)
                {
                    LogRoundLimit(_logger, _maxRounds);
                    RemoveCalls(response);
                }

                response.Usage = usage;
                return response;
            }

            history.AddRange(response.Messages);
            history.Add(await InvokeAsync(calls, toolOptions, cancellationToken));
        }
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var toolOptions = PrepareOptions(options);
        return toolOptions is null
            ? base.GetStreamingResponseAsync(messages, options, cancellationToken)
            : StreamAsync(messages, toolOptions, cancellationToken);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(IEnumerable<ChatMessage> messages, ChatOptions toolOptions, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<ChatMessage> history = [.. messages];
        for (var round = 0; ; round++)
        {
            var lastRound = round >= _maxRounds;
            var roundUpdates = new UpdateRecorder();
            List<FunctionCallContent>? calls = null;
            await foreach (var update in base.GetStreamingResponseAsync(history, lastRound ? WithoutToolUse(toolOptions) : toolOptions, cancellationToken))
            {
                roundUpdates.Add(update);
                if (!HasCall(update))
                {
                    yield return round == 0 ? update : MarkToolsUsed(update);
                    continue;
                }

                calls ??= [];
                foreach (var content in update.Contents)
                {
                    if (content is FunctionCallContent call)
                    {
                        calls.Add(call);
                    }
                }

                if (WithoutCalls(update) is { } visible)
                {
                    yield return visible;
                }
            }

            if (calls is null)
            {
                yield break;
            }

            if (lastRound)
            {
                LogRoundLimit(_logger, _maxRounds);
                yield break;
            }

            history.AddRange(roundUpdates.ToChatResponse().Messages);
            history.Add(await InvokeAsync(calls, toolOptions, cancellationToken));
        }
    }

    private static ChatResponseUpdate MarkToolsUsed(ChatResponseUpdate update)
    {
        (update.AdditionalProperties ??= [])[ToolsUsedProperty] = true;
        return update;
    }

    /// <summary>Clones the options with the registry's tools added, or returns null when there is nothing to invoke.</summary>
    private ChatOptions? PrepareOptions(ChatOptions? options)
    {
        if (_maxRounds == 0 || options?.ToolMode is NoneChatToolMode)
        {
            return null;
        }

        var callerHasFunctions = options?.Tools?.Any(static t => t is AIFunction) == true;
        if (_registry.Count == 0 && !callerHasFunctions)
        {
            return null;
        }

        var clone = options?.Clone() ?? new ChatOptions();
        var tools = clone.Tools is { } existing ? new List<AITool>(existing) : new List<AITool>(_registry.Count);
        foreach (var tool in _registry.Tools)
        {
            if (!tools.Exists(t => string.Equals(t.Name, tool.Name, StringComparison.Ordinal)))
            {
                tools.Add(tool);
            }
        }

        clone.Tools = tools;
        return clone;
    }

    private static ChatOptions WithoutToolUse(ChatOptions toolOptions)
    {
        var clone = toolOptions.Clone();
        clone.ToolMode = ChatToolMode.None;
        return clone;
    }

    private async Task<ChatMessage> InvokeAsync(List<FunctionCallContent> calls, ChatOptions toolOptions, CancellationToken cancellationToken)
    {
        var results = new List<AIContent>(calls.Count);
        for (var i = 0; i < calls.Count; i++)
        {
            var call = calls[i];
            if (i >= _maxCallsPerRound)
            {
                Record(call.Name, "rejected");
                results.Add(new FunctionResultContent(call.CallId, $"Error: too many tool calls in one round (limit {_maxCallsPerRound}); this call was not run."));
                continue;
            }

            results.Add(await InvokeOneAsync(call, toolOptions, cancellationToken));
        }

        return new ChatMessage(ChatRole.Tool, results);
    }

    private async Task<FunctionResultContent> InvokeOneAsync(FunctionCallContent call, ChatOptions toolOptions, CancellationToken cancellationToken)
    {
        if (FindFunction(call.Name, toolOptions) is not { } function)
        {
            Record(call.Name, "unknown_tool");
            LogUnknownTool(_logger, call.Name);
            return new FunctionResultContent(call.CallId, $"Error: there is no tool named '{call.Name}'.");
        }

        if (call.Exception is not null)
        {
            Record(call.Name, "bad_arguments");
            return new FunctionResultContent(call.CallId, $"Error: the arguments for tool '{call.Name}' could not be parsed; send valid JSON.");
        }

        using var toolCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var invocation = function.InvokeAsync(new AIFunctionArguments(call.Arguments), toolCts.Token).AsTask();
            var result = await invocation.WaitAsync(_toolTimeout, _timeProvider, cancellationToken);
            Record(call.Name, "success");
            return new FunctionResultContent(call.CallId, result);
        }
        catch (TimeoutException)
        {
            await toolCts.CancelAsync();
            Record(call.Name, "timeout");
            LogToolTimedOut(_logger, call.Name, _toolTimeout.TotalSeconds);
            return new FunctionResultContent(call.CallId, $"Error: tool '{call.Name}' did not finish within {_toolTimeout.TotalSeconds:0.###} s.");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Record(call.Name, "error");
            LogToolFailed(_logger, call.Name, ex.GetType().Name);
            var text = _includeDetailedErrors
                ? $"Error: tool '{call.Name}' failed: {ex.Message}"
                : $"Error: tool '{call.Name}' failed.";
            return new FunctionResultContent(call.CallId, text) { Exception = ex };
        }
    }

    private AIFunction? FindFunction(string name, ChatOptions toolOptions)
    {
        if (toolOptions.Tools is { } tools)
        {
            foreach (var tool in tools)
            {
                if (tool is AIFunction function && string.Equals(function.Name, name, StringComparison.Ordinal))
                {
                    return function;
                }
            }
        }

        return _registry.TryGet(name, out var registered) ? registered : null;
    }

    private static List<FunctionCallContent> CollectCalls(IList<ChatMessage> messages)
    {
        var calls = new List<FunctionCallContent>();
        foreach (var message in messages)
        {
            foreach (var content in message.Contents)
            {
                if (content is FunctionCallContent call)
                {
                    calls.Add(call);
                }
            }
        }

        return calls;
    }

    private static void RemoveCalls(ChatResponse response)
    {
        foreach (var message in response.Messages)
        {
            for (var i = message.Contents.Count - 1; i >= 0; i--)
            {
                if (message.Contents[i] is FunctionCallContent)
                {
                    message.Contents.RemoveAt(i);
                }
            }
        }

        if (response.FinishReason == ChatFinishReason.ToolCalls)
        {
            response.FinishReason = ChatFinishReason.Stop;
        }
    }

    private static bool HasCall(ChatResponseUpdate update)
    {
        var contents = update.Contents;
        for (var i = 0; i < contents.Count; i++)
        {
            if (contents[i] is FunctionCallContent)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The update without its function calls, or null when nothing visible is left.</summary>
    private static ChatResponseUpdate? WithoutCalls(ChatResponseUpdate update)
    {
        var visible = update.Contents.Where(static c => c is not FunctionCallContent).ToList();
        if (visible.Count == 0)
        {
            return null;
        }

        var clone = update.Clone();
        clone.Contents = visible;
        if (clone.FinishReason == ChatFinishReason.ToolCalls)
        {
            clone.FinishReason = null;
        }

        return clone;
    }

    private static UsageDetails? Add(UsageDetails? total, UsageDetails? round)
    {
        if (round is null)
        {
            return total;
        }

        if (total is null)
        {
            total = new UsageDetails();
        }

        total.Add(round);
        return total;
    }

    private void Record(string tool, string outcome) =>
        _metrics?.ToolInvocations.Add(1, new KeyValuePair<string, object?>(TelemetryConstants.ToolTag, _registry.TryGet(tool, out _) ? tool : TelemetryConstants.Unknown), new KeyValuePair<string, object?>(TelemetryConstants.OutcomeTag, outcome));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tool {Tool} failed with {ExceptionType}; the model is told it failed")]
    private static partial void LogToolFailed(ILogger logger, string tool, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tool {Tool} did not finish within {TimeoutSeconds} s")]
    private static partial void LogToolTimedOut(ILogger logger, string tool, double timeoutSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The model asked for an unknown tool {Tool}")]
    private static partial void LogUnknownTool(ILogger logger, string tool);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tool round limit ({MaxRounds}) reached; remaining tool calls ignored")]
    private static partial void LogRoundLimit(ILogger logger, int maxRounds);
}
