using Microsoft.Extensions.Logging;

namespace Cordial.Discord.Gateway;

/// <summary>Gateway log messages. None of them carries a token or message content above Trace.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(1, LogLevel.Information, "Gateway shard {ShardId}: connecting to {Host} ({Mode})")]
    public static partial void Connecting(ILogger logger, int shardId, string host, string mode);

    [LoggerMessage(2, LogLevel.Information, "Gateway shard {ShardId}: ready (session established, {GuildCount} guilds)")]
    public static partial void Ready(ILogger logger, int shardId, int guildCount);

    [LoggerMessage(3, LogLevel.Information, "Gateway shard {ShardId}: session resumed")]
    public static partial void Resumed(ILogger logger, int shardId);

    [LoggerMessage(4, LogLevel.Warning, "Gateway shard {ShardId}: connection lost ({Reason}); reconnecting in {Delay}, resume: {Resume}")]
    public static partial void Reconnecting(ILogger logger, int shardId, string reason, TimeSpan delay, bool resume);

    [LoggerMessage(5, LogLevel.Warning, "Gateway shard {ShardId}: no heartbeat ACK before the next beat (zombie connection); reconnecting")]
    public static partial void Zombie(ILogger logger, int shardId);

    [LoggerMessage(6, LogLevel.Critical, "Gateway shard {ShardId}: {Message}")]
    public static partial void Fatal(ILogger logger, int shardId, string message);

    [LoggerMessage(7, LogLevel.Warning, "Gateway shard {ShardId}: dropped a malformed payload: {Error}")]
    public static partial void Malformed(ILogger logger, int shardId, string error);

    [LoggerMessage(8, LogLevel.Trace, "Gateway shard {ShardId}: malformed payload text: {Text}")]
    public static partial void MalformedText(ILogger logger, int shardId, string text);

    [LoggerMessage(9, LogLevel.Debug, "Gateway shard {ShardId}: ignored unknown event {EventName}")]
    public static partial void UnknownEvent(ILogger logger, int shardId, string eventName);

    [LoggerMessage(10, LogLevel.Warning, "Gateway shard {ShardId}: invalid session (resumable: {Resumable})")]
    public static partial void InvalidSession(ILogger logger, int shardId, bool resumable);

    [LoggerMessage(11, LogLevel.Warning, "Gateway shard {ShardId}: READY gave an unusable resume_gateway_url; resuming through the main gateway URL")]
    public static partial void BadResumeUrl(ILogger logger, int shardId);

    [LoggerMessage(12, LogLevel.Debug, "Gateway shard {ShardId}: heartbeat could not be sent: {Error}")]
    public static partial void HeartbeatFailed(ILogger logger, int shardId, string error);

    [LoggerMessage(13, LogLevel.Warning, "Gateway shard {ShardId}: connection failed: {Error}")]
    public static partial void ConnectionFailed(ILogger logger, int shardId, string error);

    [LoggerMessage(14, LogLevel.Information, "Gateway: starting shards {First}..{Last} of {Count} (max_concurrency {MaxConcurrency}, compression {Compression})")]
    public static partial void Starting(ILogger logger, int first, int last, int count, int maxConcurrency, GatewayCompression compression);

    [LoggerMessage(15, LogLevel.Error, "Gateway shard {ShardId}: unexpected failure")]
    public static partial void Unexpected(ILogger logger, int shardId, Exception exception);

    [LoggerMessage(16, LogLevel.Warning, "Gateway: GET /gateway/bot failed ({Error}); using the configured shard count and URL")]
    public static partial void GatewayBotFailed(ILogger logger, string error);
}
