using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Cordial.Llm.Configuration;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using AIChatFinishReason = Microsoft.Extensions.AI.ChatFinishReason;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace Cordial.Llm.Providers;

/// <summary>
/// Our <see cref="IChatClient"/> for any OpenAI-compatible <c>chat/completions</c> endpoint, straight over
/// <see cref="HttpClient"/>: the body is written from the messages in one pass (<see cref="OpenAIRequestWriter"/>) and
/// the answer read in one pass (<see cref="OpenAIStreamChunk"/>). Reasoning that servers send as
/// <c>reasoning_content</c> (DeepSeek, vLLM) or <c>reasoning</c> (OpenRouter, Ollama) becomes
/// <see cref="TextReasoningContent"/>; every failure becomes <see cref="LlmProviderException"/>.
/// </summary>
/// <remarks>
/// Thread-safe; one instance per configured model. Does not own its <see cref="HttpClient"/> (the catalog does), whose
/// innermost handler turns an error status into <see cref="ProviderHttpErrorException"/>.
/// </remarks>
internal sealed class OpenAICompatibleChatClient : IChatClient
{
    private static readonly byte[] DoneMarker = "[DONE]"u8.ToArray();
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");
    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");
    private static readonly MediaTypeWithQualityHeaderValue AcceptEventStream = new("text/event-stream");

    private readonly HttpClient _http;
    private readonly Uri _completions;
    private readonly string? _authorization;
    private readonly RequestCustomization _customization;
    private readonly ModelOptions _model;
    private readonly ProviderIdentity _identity;
    private readonly ChatClientMetadata _metadata;
    private readonly ILogger _logger;

    /// <param name="http">Sends the requests; its handler chain ends in <see cref="ProviderErrorResponseHandler"/>.</param>
    /// <param name="endpoint">The API root, e.g. <c>https://api.openai.com/v1</c>; requests go to its <c>chat/completions</c>.</param>
    /// <param name="apiKey">Sent as a bearer token; none (a local server) sends no <c>Authorization</c> header at all.</param>
    public OpenAICompatibleChatClient(
        HttpClient http, Uri endpoint, string? apiKey, RequestCustomization customization, ModelOptions model, ProviderIdentity identity, ILogger logger)
    {
        _http = http;
        var root = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        _completions = customization.ApplyQuery(new Uri(root, "chat/completions"));
        _authorization = string.IsNullOrEmpty(apiKey) ? null : "Bearer " + apiKey;
        _customization = customization;
        _logger = logger;
        _model = model;
        _identity = identity;
        _metadata = new ChatClientMetadata("openai", endpoint, identity.ModelName);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<AIChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var filtered = ImageFilter.Apply(messages, _model, _identity.ModelName, _logger, out var dropped);
        using var request = CreateRequest(filtered, options, stream: false);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return ToResponse(OpenAIStreamChunk.Parse(body), dropped);
        }
        catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    private ChatResponse ToResponse(OpenAIStreamChunk completion, int imagesDropped)
    {
        if (!completion.HasChoice)
        {
            throw new JsonException("The completion has no choices.");
        }

        var contents = new List<AIContent>();
        if (completion.Reasoning is { Length: > 0 } reasoning)
        {
            contents.Add(new TextReasoningContent(reasoning));
        }

        if (completion.Content is { Length: > 0 } text)
        {
            contents.Add(new TextContent(text));
        }

        foreach (var call in completion.ToolCalls ?? [])
        {
            contents.Add(ParseCall(call.Id ?? $"call_{contents.Count}", call.Name ?? "", call.Arguments));
        }

        var response = new ChatResponse(new AIChatMessage(ChatRole.Assistant, contents) { MessageId = completion.Id })
        {
            ResponseId = completion.Id,
            ModelId = _identity.ModelName,
            CreatedAt = completion.CreatedAt,
            FinishReason = completion.FinishReason is { } reason ? MapFinishReason(reason) : null,
            Usage = completion.Usage,
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
        return StreamAsync(CreateRequest(filtered, options, stream: true), dropped, cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
        // Nothing of its own: the catalog owns the HttpClient.
    }

    /// <summary>The request, body written now: the messages are read once, here, and not kept.</summary>
    private HttpRequestMessage CreateRequest(IReadOnlyList<AIChatMessage> messages, ChatOptions? options, bool stream)
    {
        var body = OpenAIRequestWriter.Write(_identity.ProviderModelId, messages, options, _model, _customization, stream);
        var request = new HttpRequestMessage(HttpMethod.Post, _completions)
        {
            Content = new ReadOnlyMemoryContent(body) { Headers = { ContentType = JsonMediaType } },
        };
        request.Headers.Accept.Add(stream ? AcceptEventStream : AcceptJson);
        if (_authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", _authorization);
        }

        foreach (var (name, value) in _customization.Headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(
        HttpRequestMessage request, int imagesDropped, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var state = new StreamState(this, imagesDropped);
        HttpResponseMessage? response = null;
        IAsyncEnumerator<SseItem<OpenAIStreamChunk?>>? events = null;
        try
        {
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                events = SseParser.Create(stream, (_, data) => data.SequenceEqual(DoneMarker) ? null : OpenAIStreamChunk.Parse(data, state.KnowsIdentity))
                    .EnumerateAsync(cancellationToken)
                    .GetAsyncEnumerator(cancellationToken);
            }
            catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
            {
                throw translated;
            }
            finally
            {
                request.Dispose(); // the body is sent: its buffer need not live as long as the answer
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

    /// <summary>A streamed <c>finish_reason</c>; values other than OpenAI's own are passed on as they are.</summary>
    private static AIChatFinishReason MapFinishReason(string reason) => reason switch
    {
        "stop" => AIChatFinishReason.Stop,
        "length" => AIChatFinishReason.Length,
        "content_filter" => AIChatFinishReason.ContentFilter,
        "tool_calls" or "function_call" => AIChatFinishReason.ToolCalls,
        _ => new AIChatFinishReason(reason),
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
}
