using System.Runtime.CompilerServices;
using Cordial.Llm.Configuration;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Cordial.Llm.Providers;

/// <summary>
/// A thin wrapper over the Anthropic SDK's own <see cref="IChatClient"/> (<c>AsIChatClient</c>): applies the model's
/// configured defaults, drops images for models without vision, reports the configured model name, and translates
/// every failure (also mid-stream) into <see cref="LlmProviderException"/>.
/// </summary>
/// <remarks>Thread-safe; one instance per configured model. Owns nothing: the catalog disposes the SDK client.</remarks>
internal sealed class AnthropicChatClientAdapter : IChatClient
{
    private readonly IChatClient _inner;
    private readonly ModelOptions _model;
    private readonly ProviderIdentity _identity;
    private readonly ChatClientMetadata _metadata;
    private readonly ILogger _logger;

    public AnthropicChatClientAdapter(IChatClient inner, ModelOptions model, ProviderIdentity identity, Uri endpoint, ILogger logger)
    {
        _inner = inner;
        _logger = logger;
        _model = model;
        _identity = identity;
        _metadata = new ChatClientMetadata("anthropic", endpoint, identity.ModelName);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var filtered = ImageFilter.Apply(messages, _model, _identity.ModelName, _logger, out var dropped);

        ChatResponse response;
        try
        {
            response = await _inner.GetResponseAsync(filtered, ApplyDefaults(options), cancellationToken);
        }
        catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
        {
            throw translated;
        }

        response.AdditionalProperties ??= [];
        response.AdditionalProperties[ProviderResponseProperties.ProviderModelId] = response.ModelId;
        response.ModelId = _identity.ModelName;
        foreach (var message in response.Messages)
        {
            message.AdditionalProperties?.Remove(ProviderResponseProperties.ProviderModelId);
        }

        if (dropped > 0)
        {
            response.AdditionalProperties[ProviderResponseProperties.ImagesDropped] = dropped;
        }

        return response;
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var filtered = ImageFilter.Apply(messages, _model, _identity.ModelName, _logger, out var dropped);

        return StreamAsync(filtered, ApplyDefaults(options), dropped, cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null && serviceType == typeof(ChatClientMetadata))
        {
            return _metadata;
        }

        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : _inner.GetService(serviceType, serviceKey);
    }

    public void Dispose()
    {
        // The SDK's chat client shares the catalog-owned AnthropicClient; nothing to release here.
    }

    /// <remarks>
    /// Usage arrives in pieces (input tokens at message_start, output tokens at message_delta); it is summed and sent
    /// once, with the finish reason, in the final update, the same shape as the OpenAI-compatible client.
    /// </remarks>
    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(
        List<ChatMessage> messages, ChatOptions options, int imagesDropped, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var first = true;
        ChatResponseUpdate? finishing = null;
        UsageDetails? usage = null;
        string? providerModel = null;
        var enumerator = _inner.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
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
                catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
                {
                    throw translated;
                }

                providerModel = update.ModelId ?? providerModel;
                update.ModelId = _identity.ModelName;
                foreach (var part in update.Contents.OfType<UsageContent>().ToList())
                {
                    (usage ??= new UsageDetails()).Add(part.Details);
                    update.Contents.Remove(part);
                }

                if (first && imagesDropped > 0)
                {
                    update.AdditionalProperties ??= [];
                    update.AdditionalProperties[ProviderResponseProperties.ImagesDropped] = imagesDropped;
                }
                else if (update.Contents.Count == 0 && update.FinishReason is null && update.AdditionalProperties is not { Count: > 0 })
                {
                    continue; // carried only usage
                }

                first = false;
                if (update.FinishReason is not null && finishing is null)
                {
                    finishing = update; // held back until the stream ends, to carry the summed usage
                    continue;
                }

                yield return update;
            }
        }
        finally
        {
            await enumerator.DisposeAsync();
        }

        if (finishing is null)
        {
            throw ProviderLog.Failed(_logger, ProviderErrorTranslator.Truncated(_identity));
        }

        if (usage is not null)
        {
            finishing.Contents.Add(new UsageContent(usage));
        }

        finishing.AdditionalProperties ??= [];
        finishing.AdditionalProperties[ProviderResponseProperties.ProviderModelId] = providerModel;
        yield return finishing;
    }

    /// <summary>The exception to throw instead of <paramref name="exception"/> (logged), or null to let a cancellation through.</summary>
    private LlmProviderException? Translate(Exception exception, CancellationToken cancellationToken)
    {
        var translated = ProviderErrorTranslator.Translate(exception, _identity, cancellationToken);
        if (translated is { Kind: LlmFailureKind.Unknown })
        {
            translated = ProviderErrorTranslator.Malformed(exception, _identity);
        }

        return translated is null ? null : ProviderLog.Failed(_logger, translated);
    }

    private ChatOptions ApplyDefaults(ChatOptions? options)
    {
        var result = options?.Clone() ?? new ChatOptions();
        result.ModelId = _identity.ProviderModelId;
        result.MaxOutputTokens ??= _model.MaxOutputTokens;
        if (result.Reasoning is null && _model.ReasoningEffort is { } effort)
        {
            result.Reasoning = new ReasoningOptions
            {
                Effort = effort.ToLowerInvariant() switch
                {
                    "none" => ReasoningEffort.None,
                    "minimal" or "low" => ReasoningEffort.Low,
                    "medium" => ReasoningEffort.Medium,
                    _ => ReasoningEffort.High,
                },
            };
        }

        return result;
    }
}
