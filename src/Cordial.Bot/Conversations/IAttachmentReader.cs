using Cordial.Bot.Messages;

namespace Cordial.Bot.Conversations;

/// <summary>Downloads text attachments so they can be inlined into the prompt (HTTP in production).</summary>
public interface IAttachmentReader
{
    /// <summary>
    /// Reads at most <paramref name="maxBytes"/> of the attachment as UTF-8 text; null when it cannot be read.
    /// Never throws for a bad or unreachable attachment.
    /// </summary>
    Task<string?> ReadTextAsync(IncomingAttachment attachment, int maxBytes, CancellationToken cancellationToken);
}
