using System.Text;
using Cordial.Bot.Messages;

namespace Cordial.Bot.Conversations;

/// <summary>
/// Turns a Discord message into the node the model will see: the bot's mention removed, text attachments inlined,
/// images kept as URLs, unsupported files named, the text cut at <see cref="ConversationOptions.MaxTextLength"/> with a warning.
/// </summary>
public sealed class MessageNodeFactory(IAttachmentReader attachments, ConversationOptions options)
{
    public async Task<MessageNode> CreateAsync(IncomingMessage message, ulong botUserId, ulong? parentId, CancellationToken cancellationToken)
    {
        var isBot = message.Author.Id == botUserId;
        var text = new StringBuilder(isBot ? message.Content : RemoveMention(message.Content, botUserId));
        List<string>? images = null; // most messages have neither: their nodes share the empty array
        List<string>? warnings = null;

        foreach (var attachment in message.Attachments)
        {
            switch (AttachmentClassifier.Classify(attachment))
            {
                case AttachmentKind.Image:
                    (images ??= []).Add(attachment.Url);
                    break;
                case AttachmentKind.Text:
                    var content = await attachments.ReadTextAsync(attachment, options.MaxAttachmentBytes, cancellationToken);
                    if (content is null)
                    {
                        (warnings ??= []).Add($"Could not read the attachment {attachment.Filename}.");
                        break;
                    }

                    if (attachment.Size > options.MaxAttachmentBytes)
                    {
                        (warnings ??= []).Add($"Only the first {options.MaxAttachmentBytes:N0} bytes of {attachment.Filename} were read.");
                    }

                    if (text.Length > 0)
                    {
                        text.Append("\n\n");
                    }

                    text.Append("Attached file ").Append(attachment.Filename).Append(":\n").Append(content);
                    break;
                default:
                    (warnings ??= []).Add($"The attachment {attachment.Filename} was not read (unsupported type {attachment.ContentType ?? "unknown"}).");
                    break;
            }
        }

        var finalText = text.ToString();
        if (finalText.Length > options.MaxTextLength)
        {
            finalText = finalText[..CutPoint(finalText, options.MaxTextLength)];
            (warnings ??= []).Add($"A message was cut to its first {options.MaxTextLength:N0} characters.");
        }

        return new MessageNode
        {
            Id = message.Id,
            ChannelId = message.ChannelId,
            GuildId = message.GuildId,
            AuthorId = message.Author.Id,
            AuthorName = message.Author.Name,
            Role = isBot ? NodeRole.Assistant : NodeRole.User,
            Text = finalText,
            TokenCount = TokenEstimator.Estimate(finalText),
            ParentId = parentId,
            ImageUrls = images?.ToArray() ?? [],
            Warnings = warnings?.ToArray() ?? [],
            CreatedAt = message.Timestamp,
        };
    }

    /// <summary>Removes &lt;@id&gt; and &lt;@!id&gt; mentions of the bot and trims what is left.</summary>
    public static string RemoveMention(string content, ulong botUserId)
    {
        if (content.Length == 0)
        {
            return content;
        }

        var id = botUserId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return content.Replace($"<@{id}>", "", StringComparison.Ordinal).Replace($"<@!{id}>", "", StringComparison.Ordinal).Trim();
    }

    private static int CutPoint(string text, int max) =>
        char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
}
