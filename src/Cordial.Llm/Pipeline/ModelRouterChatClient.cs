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
        return client.GetResponseAsync(messages, providerOptions, cancellationToken);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var (client, providerOptions) = Route(options);
        return client.GetStreamingResponseAsync(messages, providerOptions, cancellationToken);
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
