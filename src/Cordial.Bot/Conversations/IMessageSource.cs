using Cordial.Bot.Messages;

namespace Cordial.Bot.Conversations;

/// <summary>
/// Where conversations come from when the store does not know a message: Discord's REST API in production.
/// Used only for parents the store has never seen.
/// </summary>
public interface IMessageSource
{
    /// <summary>The message, or null when it no longer exists or cannot be read.</summary>
    Task<IncomingMessage?> GetMessageAsync(ChannelInfo channel, ulong messageId, CancellationToken cancellationToken);

    /// <summary>The message written immediately before <paramref name="beforeMessageId"/> in the channel, or null.</summary>
    Task<IncomingMessage?> GetMessageBeforeAsync(ChannelInfo channel, ulong beforeMessageId, CancellationToken cancellationToken);
}
