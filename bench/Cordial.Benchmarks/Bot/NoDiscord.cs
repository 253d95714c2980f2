using Cordial.Bot.Conversations;
using Cordial.Bot.Messages;

namespace Cordial.Benchmarks.Bot;

/// <summary>Discord for benchmarks whose messages are all cached: never asked (it would answer "unknown").</summary>
internal sealed class NoDiscord : IMessageSource, IAttachmentReader
{
    public Task<IncomingMessage?> GetMessageAsync(ChannelInfo channel, ulong messageId, CancellationToken cancellationToken) =>
        Task.FromResult<IncomingMessage?>(null);

    public Task<IncomingMessage?> GetMessageBeforeAsync(ChannelInfo channel, ulong beforeMessageId, CancellationToken cancellationToken) =>
        Task.FromResult<IncomingMessage?>(null);

    public Task<string?> ReadTextAsync(IncomingAttachment attachment, int maxBytes, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(null);
}
