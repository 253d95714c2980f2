using System.Net;
using Cordial.Bot.Collections;
using Cordial.Bot.Conversations;
using Cordial.Bot.Messages;
using Cordial.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace Cordial.Adapters;

/// <summary>Messages the node store has never seen, read from Discord REST (only for unknown parents).</summary>
/// <remarks>
/// A message Discord answered 404 for is remembered (bounded, least recently used first out) and not asked for again:
/// message ids are never reused, and a conversation that reaches a deleted message (or a thread without a starter
/// message) would otherwise cost a REST read on every answer. 403 is not remembered, as permissions change.
/// </remarks>
internal sealed partial class RestMessageSource(DiscordRestClient rest, ILogger<RestMessageSource> logger) : IMessageSource
{
    /// <summary>Missing message ids remembered.</summary>
    public const int MissingCapacity = 4096;

    private readonly LruCache<ulong, bool> _missing = new(MissingCapacity);
    private long _fetches;

    /// <summary>REST reads made so far (tests check that history after a restart needs none).</summary>
    public long Fetches => Interlocked.Read(ref _fetches);

    public async Task<IncomingMessage?> GetMessageAsync(ChannelInfo channel, ulong messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (_missing.TryGet(messageId, out _))
        {
            return null;
        }

        Interlocked.Increment(ref _fetches);
        try
        {
            var message = await rest.GetMessageAsync(channel.Id, messageId, cancellationToken);
            return DiscordMessageMapper.ToIncoming(message, channel);
        }
        catch (DiscordRestException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            if (ex.StatusCode == HttpStatusCode.NotFound)
            {
                _missing.Set(messageId, true);
            }

            Log.Unreadable(logger, messageId, (int)ex.StatusCode);
            return null;
        }
    }

    public async Task<IncomingMessage?> GetMessageBeforeAsync(ChannelInfo channel, ulong beforeMessageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        Interlocked.Increment(ref _fetches);
        try
        {
            var messages = await rest.GetMessagesAsync(channel.Id, limit: 1, before: beforeMessageId, cancellationToken: cancellationToken);
            return messages.Length == 0 ? null : DiscordMessageMapper.ToIncoming(messages[0], channel);
        }
        catch (DiscordRestException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            Log.Unreadable(logger, beforeMessageId, (int)ex.StatusCode);
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Message {MessageId} could not be read ({Status})")]
        public static partial void Unreadable(ILogger logger, ulong messageId, int status);
    }
}
