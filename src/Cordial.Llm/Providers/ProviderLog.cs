using Microsoft.Extensions.Logging;

namespace Cordial.Llm.Providers;

/// <summary>Log messages of the provider clients. Never message content, never keys.</summary>
internal static partial class ProviderLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Debug, Message = "Model {Model} (provider {Provider}) failed: {Kind}, HTTP {StatusCode}, retry after {RetryAfter}")]
    public static partial void ProviderFailed(ILogger logger, string? model, string? provider, LlmFailureKind kind, int? statusCode, TimeSpan? retryAfter, Exception exception);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "Model {Model}: {Count} image(s) dropped, the model is not configured for vision")]
    public static partial void ImagesDropped(ILogger logger, string model, int count);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Debug, Message = "Created the {Kind} client for model {Model} (provider {Provider}, id {ModelId}, endpoint {Endpoint})")]
    public static partial void ClientCreated(ILogger logger, string kind, string model, string provider, string modelId, Uri endpoint);

    /// <summary>Logs <paramref name="exception"/> and hands it back, for <c>throw ProviderLog.Failed(...)</c>.</summary>
    public static LlmProviderException Failed(ILogger logger, LlmProviderException exception)
    {
        ProviderFailed(logger, exception.Model, exception.Provider, exception.Kind, exception.StatusCode, exception.RetryAfter, exception);
        return exception;
    }
}
