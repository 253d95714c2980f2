using Microsoft.Extensions.Logging;

namespace Cordial.Emulator.Discord;

/// <summary>Source-generated log messages of the Discord emulator (never message content or tokens).</summary>
internal static partial class DiscordEmulatorLog
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "Discord emulator gateway closing a connection with {Code}: {Reason}")]
    public static partial void GatewayClosing(ILogger logger, int code, string reason);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Discord emulator gateway received a malformed payload: {Problem}")]
    public static partial void GatewayMalformed(ILogger logger, string problem);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Debug, Message = "Discord emulator gateway socket error: {Problem}")]
    public static partial void GatewaySocketError(ILogger logger, string problem);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Information, Message = "Discord emulator gateway session {SessionId} started for bot {BotId} (shard {ShardId}/{ShardCount})")]
    public static partial void SessionStarted(ILogger logger, string sessionId, ulong botId, int shardId, int shardCount);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Information, Message = "Discord emulator gateway session {SessionId} resumed from sequence {Sequence}")]
    public static partial void SessionResumed(ILogger logger, string sessionId, int sequence);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Error, Message = "Discord emulator REST handler failed for {Method} {Route}")]
    public static partial void RestHandlerFailed(ILogger logger, Exception exception, string method, string route);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Information, Message = "Discord emulator registered bot {BotId}")]
    public static partial void BotRegistered(ILogger logger, ulong botId);

    [LoggerMessage(EventId = 5107, Level = LogLevel.Warning, Message = "Discord emulator fault injected: {Fault}")]
    public static partial void FaultInjected(ILogger logger, string fault);
}
