using Cordial.Bot.Delivery;
using Cordial.Bot.Messages;

namespace Cordial.Bot.Responding;

/// <summary>Where replies go: a surface per channel, and threads opened for new conversations. Implemented over Discord REST.</summary>
public interface IChannelSurfaces
{
    /// <summary>The surface for sending into a channel (or thread). Cheap; may be called per reply.</summary>
    IReplySurface For(ChannelInfo channel);

    /// <summary>Opens a thread from <paramref name="message"/> and returns it (the bot owns it).</summary>
    Task<ChannelInfo> StartThreadAsync(IncomingMessage message, string name, CancellationToken cancellationToken);
}
