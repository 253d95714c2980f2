using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Cordial.Llm.Pipeline;

/// <summary>
/// The innermost client of the pipeline: sends each request to the provider client of the model named by
/// <see cref="ChatOptions.ModelId"/> (a configured model name; null = the default model), with the provider's own
/// model id in the options it passes on. Does not own the provider clients.
/// </summary>
internal sealed class ModelRouterChatClient(ModelRouting routing) : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var (client, providerOptions) = Route(options);
        TakeRequestStarted(providerOptions)?.Invoke();
        return client.GetResponseAsync(messages, providerOptions, cancellationToken);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var (client, providerOptions) = Route(options);
        return TakeRequestStarted(providerOptions) is { } started
            ? StreamNotifyingAsync(client, messages, providerOptions, started, cancellationToken)
            : client.GetStreamingResponseAsync(messages, providerOptions, cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
        // The provider clients belong to the catalog.
    }

    /// <summary>The <see cref="ProviderCallProperties.RequestStarted"/> callback, removed from the provider's copy of the options.</summary>
    private static Action? TakeRequestStarted(ChatOptions options)
    {
        if (options.AdditionalProperties is { } properties && properties.Remove(ProviderCallProperties.RequestStarted, out var value))
        {
            if (properties.Count == 0)
            {
                options.AdditionalProperties = null;
            }

            return value as Action;
        }

        return null;
    }

    /// <summary>
    /// The provider's stream, with the callback invoked after the provider mapped the request and just before the first
    /// read (which sends the HTTP request): the nearest point to the hand-off that needs no hook inside the SDKs.
    /// </summary>
    private static async IAsyncEnumerable<ChatResponseUpdate> StreamNotifyingAsync(
        IChatClient client, IEnumerable<ChatMessage> messages, ChatOptions options, Action started, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = client.GetStreamingResponseAsync(messages, options, cancellationToken);
        await using var enumerator = stream.GetAsyncEnumerator(cancellationToken);
        started();
        while (await enumerator.MoveNextAsync())
        {
            yield return enumerator.Current;
        }
    }

    private (IChatClient Client, ChatOptions Options) Route(ChatOptions? options)
    {
        var model = routing.ResolveModel(options?.ModelId);
        (IChatClient Client, string? ProviderModelId) target;
        try
        {
            target = routing.ClientOf(model);
        }
        catch (KeyNotFoundException ex)
        {
            throw new LlmProviderException(LlmFailureKind.ModelNotFound, $"Model '{model}' is not configured.", ex) { Model = model };
        }

        var providerOptions = options?.Clone() ?? new ChatOptions();
        providerOptions.ModelId = target.ProviderModelId;
        return (target.Client, providerOptions);
    }
}
