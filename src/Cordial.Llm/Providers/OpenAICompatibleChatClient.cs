using System.ClientModel.Primitives;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Cordial.Llm.Configuration;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OpenAI.Chat;
using AIChatFinishReason = Microsoft.Extensions.AI.ChatFinishReason;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;
using OpenAIChatFinishReason = OpenAI.Chat.ChatFinishReason;

#pragma warning disable SCME0001 // JsonPatch is how the 2.15 SDK exposes fields it does not model (reasoning_content).

namespace Cordial.Llm.Providers;

/// <summary>
/// Our <see cref="IChatClient"/> over the official OpenAI SDK's <see cref="ChatClient"/>, for any OpenAI-compatible
/// endpoint. Reasoning that servers send as <c>reasoning_content</c> (DeepSeek, vLLM) or <c>reasoning</c> (OpenRouter,
/// Ollama) becomes <see cref="TextReasoningContent"/>; every failure becomes <see cref="LlmProviderException"/>.
/// </summary>
/// <remarks>Thread-safe; one instance per configured model. Does not own the SDK client's HTTP connection pool.</remarks>
internal sealed class OpenAICompatibleChatClient : IChatClient
{
    private static readonly JsonPath[] ReasoningMessagePaths =
    [
        new("$.choices[0].message.reasoning_content"u8.ToArray()),
        new("$.choices[0].message.reasoning"u8.ToArray()),
    ];

    private static readonly byte[] DoneMarker = "[DONE]"u8.ToArray();

    private readonly ChatClient _client;
    private readonly ModelOptions _model;
    private readonly ProviderIdentity _identity;
    private readonly ChatClientMetadata _metadata;
    private readonly ILogger _logger;

    public OpenAICompatibleChatClient(ChatClient client, ModelOptions model, ProviderIdentity identity, Uri endpoint, ILogger logger)
    {
        _client = client;
        _logger = logger;
        _model = model;
        _identity = identity;
        _metadata = new ChatClientMetadata("openai", endpoint, identity.ModelName);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<AIChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var filtered = ImageFilter.Apply(messages, _model, _identity.ModelName, _logger, out var dropped);

        var request = OpenAIRequestMapper.ToOpenAIMessages(filtered, options?.Instructions);
        var completionOptions = OpenAIRequestMapper.ToCompletionOptions(options, _model);

        try
        {
            var completion = (await _client.CompleteChatAsync(request, completionOptions, cancellationToken)).Value;
            return ToResponse(completion, dropped);
        }
        catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    private ChatResponse ToResponse(ChatCompletion completion, int imagesDropped)
    {
        var contents = new List<AIContent>();
        if (ReadString(ref completion.Patch, ReasoningMessagePaths) is { Length: > 0 } reasoning)
        {
            contents.Add(new TextReasoningContent(reasoning));
        }

        foreach (var part in completion.Content)
        {
            if (part.Kind == ChatMessageContentPartKind.Text && !string.IsNullOrEmpty(part.Text))
            {
                contents.Add(new TextContent(part.Text));
            }
        }

        foreach (var call in completion.ToolCalls)
        {
            contents.Add(ParseCall(call.Id, call.FunctionName, call.FunctionArguments?.ToString()));
        }

        var response = new ChatResponse(new AIChatMessage(ChatRole.Assistant, contents) { MessageId = completion.Id })
        {
            ResponseId = completion.Id,
            ModelId = _identity.ModelName,
            CreatedAt = completion.CreatedAt,
            FinishReason = MapFinishReason(completion.FinishReason),
            Usage = MapUsage(completion.Usage),
            RawRepresentation = completion,
            AdditionalProperties = new() { [ProviderResponseProperties.ProviderModelId] = completion.Model },
        };
        if (imagesDropped > 0)
        {
            response.AdditionalProperties[ProviderResponseProperties.ImagesDropped] = imagesDropped;
        }

        return response;
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<AIChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var filtered = ImageFilter.Apply(messages, _model, _identity.ModelName, _logger, out var dropped);

        var request = OpenAIRequestMapper.ToOpenAIMessages(filtered, options?.Instructions);
        var completionOptions = OpenAIRequestMapper.ToCompletionOptions(options, _model);
        return StreamAsync(request, completionOptions, dropped, cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType == typeof(ChatClient) ? _client
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
        // The SDK client holds no resources of its own; the catalog owns the HttpClient.
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(
        List<OpenAI.Chat.ChatMessage> request, ChatCompletionOptions options, int imagesDropped, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The SDK builds and sends the request (its policies, authentication, errors); the events are read here
        // (OpenAIStreamChunk), as the SDK's streaming models cost ≈ 2 KB of objects per token.
        var state = new StreamState(this, imagesDropped);
        var pages = _client.CompleteChatStreamingAsync(request, options, cancellationToken).GetRawPagesAsync().GetAsyncEnumerator(cancellationToken);
        PipelineResponse? response = null;
        IAsyncEnumerator<SseItem<OpenAIStreamChunk?>>? events = null;
        try
        {
            try
            {
                response = await pages.MoveNextAsync() ? pages.Current.GetRawResponse() : null;
                var stream = response?.ContentStream ?? throw new InvalidOperationException("The provider's streamed answer had no body.");
                events = SseParser.Create(stream, (_, data) => data.SequenceEqual(DoneMarker) ? null : OpenAIStreamChunk.Parse(data, state.KnowsIdentity))
                    .EnumerateAsync(cancellationToken)
                    .GetAsyncEnumerator(cancellationToken);
            }
            catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
            {
                throw translated;
            }

            while (true)
            {
                ChatResponseUpdate? update;
                try
                {
                    if (!await events.MoveNextAsync() || events.Current.Data is not { } chunk)
                    {
                        break;
                    }

                    update = state.Accept(chunk);
                }
                catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
                {
                    throw translated;
                }

                if (update is not null)
                {
                    yield return update;
                }
            }
        }
        finally
        {
            if (events is not null)
            {
                await events.DisposeAsync();
            }

            response?.Dispose(); // closes the stream, so an abandoned answer does not hold its connection
            await pages.DisposeAsync();
        }

        ChatResponseUpdate last;
        try
        {
            last = state.Finish();
        }
        catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
        {
            throw translated;
        }

        yield return last;
    }

    /// <summary>The exception to throw instead of <paramref name="exception"/> (logged), or null to let a cancellation through.
    /// Anything unexpected means the response was not what the protocol promises (e.g. an empty <c>choices</c>).</summary>
    private LlmProviderException? Translate(Exception exception, CancellationToken cancellationToken)
    {
        var translated = ProviderErrorTranslator.Translate(exception, _identity, cancellationToken);
        if (translated is { Kind: LlmFailureKind.Unknown })
        {
            translated = ProviderErrorTranslator.Malformed(exception, _identity);
        }

        return translated is null ? null : ProviderLog.Failed(_logger, translated);
    }

    private static FunctionCallContent ParseCall(string id, string name, string? json) =>
        FunctionCallContent.CreateFromParsedArguments(
            string.IsNullOrWhiteSpace(json) ? "{}" : json,
            id,
            name,
            static text => JsonSerializer.Deserialize(text, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>))) as IDictionary<string, object?>);

    private static string? ReadString(ref System.ClientModel.Primitives.JsonPatch patch, JsonPath[] paths)
    {
        foreach (var path in paths)
        {
            try
            {
                if (patch.TryGetValue(path.Utf8, out string? value) && !string.IsNullOrEmpty(value))
                {
                    return value;
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or JsonException)
            {
                // Present but not a string (e.g. null or an object): not reasoning text.
            }
        }

        return null;
    }

    /// <summary>A streamed <c>finish_reason</c>; values other than OpenAI's own are passed on as they are.</summary>
    private static AIChatFinishReason MapFinishReason(string reason) => reason switch
    {
        "stop" => AIChatFinishReason.Stop,
        "length" => AIChatFinishReason.Length,
        "content_filter" => AIChatFinishReason.ContentFilter,
        "tool_calls" or "function_call" => AIChatFinishReason.ToolCalls,
        _ => new AIChatFinishReason(reason),
    };

    private static AIChatFinishReason? MapFinishReason(OpenAIChatFinishReason reason) => reason switch
    {
        OpenAIChatFinishReason.Stop => AIChatFinishReason.Stop,
        OpenAIChatFinishReason.Length => AIChatFinishReason.Length,
        OpenAIChatFinishReason.ContentFilter => AIChatFinishReason.ContentFilter,
        OpenAIChatFinishReason.ToolCalls or OpenAIChatFinishReason.FunctionCall => AIChatFinishReason.ToolCalls,
        _ => new AIChatFinishReason(reason.ToString()),
    };

    private static UsageDetails? MapUsage(ChatTokenUsage? usage) => usage is null ? null : new UsageDetails
    {
        InputTokenCount = usage.InputTokenCount,
        OutputTokenCount = usage.OutputTokenCount,
        TotalTokenCount = usage.TotalTokenCount,
        ReasoningTokenCount = usage.OutputTokenDetails?.ReasoningTokenCount,
        CachedInputTokenCount = usage.InputTokenDetails?.CachedTokenCount,
    };

    /// <summary>What one stream has said so far: turns SDK chunks into updates, and the end into the final update.</summary>
    private sealed class StreamState(OpenAICompatibleChatClient owner, int imagesDropped)
    {
        private readonly SortedDictionary<int, ToolCallBuilder> _toolCalls = [];
        private AIChatFinishReason? _finishReason;
        private UsageDetails? _usage;
        private string? _responseId;
        private string? _providerModel;
        private DateTimeOffset? _createdAt;
        private bool _first = true;

        /// <summary>Whether the response id and the provider's model name are known (later chunks need not repeat them).</summary>
        public bool KnowsIdentity => _responseId is not null && _providerModel is not null;

        /// <summary>The update for <paramref name="chunk"/>, or null when it carries nothing to show yet.</summary>
        public ChatResponseUpdate? Accept(OpenAIStreamChunk chunk)
        {
            _responseId ??= chunk.Id;
            _providerModel ??= chunk.Model;
            _createdAt ??= chunk.CreatedAt;
            if (chunk.FinishReason is { } reason)
            {
                _finishReason = MapFinishReason(reason);
            }

            if (chunk.Usage is { } usage)
            {
                _usage = usage;
            }

            if (chunk.ToolCalls is { } calls) // most chunks have none: no empty list per token
            {
                foreach (var call in calls)
                {
                    if (!_toolCalls.TryGetValue(call.Index, out var builder))
                    {
                        builder = new ToolCallBuilder();
                        _toolCalls[call.Index] = builder;
                    }

                    builder.Id ??= call.Id;
                    builder.Name ??= call.Name;
                    builder.Arguments.Append(call.Arguments);
                }
            }

            var contents = new List<AIContent>(1);
            if (chunk.Reasoning is { Length: > 0 } reasoning)
            {
                contents.Add(new TextReasoningContent(reasoning));
            }

            if (chunk.Content is { Length: > 0 } text)
            {
                contents.Add(new TextContent(text));
            }

            if (contents.Count == 0 && !(_first && imagesDropped > 0))
            {
                return null;
            }

            // No RawRepresentation: stages that hold updates for the whole answer (coalescing, the cache) would keep
            // whatever it refers to alive with them (docs/PERFORMANCE.md).
            var update = NewUpdate(contents);
            FlagDroppedImages(update);
            return update;
        }

        /// <summary>The final update (tool calls, usage, finish reason); throws when the model never said it had finished.</summary>
        public ChatResponseUpdate Finish()
        {
            if (_finishReason is null)
            {
                throw ProviderErrorTranslator.Truncated(owner._identity);
            }

            var contents = new List<AIContent>();
            foreach (var builder in _toolCalls.Values)
            {
                contents.Add(ParseCall(builder.Id ?? $"call_{contents.Count}", builder.Name ?? "", builder.Arguments.ToString()));
            }

            if (_usage is not null)
            {
                contents.Add(new UsageContent(_usage));
            }

            var last = NewUpdate(contents);
            last.FinishReason = _finishReason;
            last.AdditionalProperties = new() { [ProviderResponseProperties.ProviderModelId] = _providerModel };
            FlagDroppedImages(last);
            return last;
        }

        private void FlagDroppedImages(ChatResponseUpdate update)
        {
            if (_first && imagesDropped > 0)
            {
                update.AdditionalProperties ??= [];
                update.AdditionalProperties[ProviderResponseProperties.ImagesDropped] = imagesDropped;
            }

            _first = false;
        }

        private ChatResponseUpdate NewUpdate(List<AIContent> contents) => new(ChatRole.Assistant, contents)
        {
            ResponseId = _responseId,
            MessageId = _responseId,
            ModelId = owner._identity.ModelName,
            CreatedAt = _createdAt,
        };
    }

    private sealed class ToolCallBuilder
    {
        public string? Id { get; set; }

        public string? Name { get; set; }

        public StringBuilder Arguments { get; } = new();
    }

    private sealed record JsonPath(byte[] Utf8);
}
