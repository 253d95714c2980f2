using Microsoft.Extensions.Logging;

namespace Cordial.Bot.Delivery;

/// <summary>Source-generated log messages of reply delivery. Never logs message content.</summary>
internal static partial class DeliveryLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Warning, Message = "A reply message create/edit failed ({Failures} in a row)")]
    public static partial void SurfaceCallFailed(ILogger logger, int failures, Exception exception);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Reply delivery stopped after {Failures} consecutive failures; the model stream is cancelled")]
    public static partial void DeliveryAbandoned(ILogger logger, int failures);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "The model stream failed after {Length} characters ({ExceptionType}); the reply ends with a reason line")]
    public static partial void GenerationFailed(ILogger logger, int length, string exceptionType, Exception exception);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Debug, Message = "The typing indicator call failed")]
    public static partial void TypingFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Debug, Message = "A typing indicator was skipped: Discord did not take it within {Budget}")]
    public static partial void TypingSkipped(ILogger logger, TimeSpan budget);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Debug, Message = "Reply delivered: {Messages} messages, {Length} characters, {Calls} creates/edits, outcome {Outcome}")]
    public static partial void ReplyDelivered(ILogger logger, int messages, int length, int calls, ReplyOutcome outcome);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Warning, Message = "The listener of a reply's new message failed; delivery goes on")]
    public static partial void PartListenerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Error, Message = "The reply delivery loop failed unexpectedly; delivery stopped")]
    public static partial void DeliveryLoopFailed(ILogger logger, Exception exception);
}
