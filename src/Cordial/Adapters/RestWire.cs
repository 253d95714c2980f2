using Cordial.Bot.Delivery;
using Cordial.Discord.Models;
using Cordial.Discord.Rest;

namespace Cordial.Adapters;

/// <summary>Outgoing messages of the bot's brain as REST bodies. Allowed mentions are always none.</summary>
internal static class RestWire
{
    public static MessageCreate ToCreate(OutgoingMessage message, bool asReply = true)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new MessageCreate
        {
            Content = message.Content,
            Embeds = message.Embed is { } embed ? [ToEmbed(embed)] : null,
            AllowedMentions = JsonAllowedMentions.None,
            MessageReference = asReply && message.ReplyToMessageId is { } replyTo
                ? new JsonMessageReference { MessageId = replyTo, FailIfNotExists = false }
                : null,
            Flags = message.Silent ? MessageFlags.SuppressNotifications : null,
        };
    }

    public static MessageEdit ToEdit(OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new MessageEdit
        {
            Content = message.Content ?? "",
            Embeds = message.Embed is { } embed ? [ToEmbed(embed)] : [],
            AllowedMentions = JsonAllowedMentions.None,
        };
    }

    private static JsonEmbed ToEmbed(OutgoingEmbed embed) => new()
    {
        Description = embed.Description,
        Color = embed.Color,
        Footer = embed.FooterText is { } footer ? new JsonEmbedFooter { Text = footer } : null,
    };
}
