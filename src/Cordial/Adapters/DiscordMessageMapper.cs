using System.Globalization;
using System.Text.Json;
using Cordial.Bot.Commands;
using Cordial.Bot.Conversations;
using Cordial.Bot.Messages;
using Cordial.Discord.Models;

namespace Cordial.Adapters;

/// <summary>Turns Discord wire objects into what the bot's brain sees. Pure functions.</summary>
internal static class DiscordMessageMapper
{
    /// <param name="message">The wire message.</param>
    /// <param name="channel">Where it was written.</param>
    /// <param name="receivedTimestamp">When its gateway frame was read (0 when it came from REST).</param>
    public static IncomingMessage ToIncoming(JsonMessage message, ChannelInfo channel, long receivedTimestamp = 0)
    {
        ArgumentNullException.ThrowIfNull(message);
        var author = message.Author ?? new JsonUser { Username = "unknown" };
        var isReply = message.MessageReference is { } reference && reference.Type is null or 0 && reference.MessageId is not null
            && (message.Type == MessageType.Reply || message.ReferencedMessage is not null);
        return new IncomingMessage
        {
            Id = message.Id,
            ChannelId = message.ChannelId,
            Channel = channel,
            Author = ToAuthor(author, message.Member, message.WebhookId is not null),
            Timestamp = message.Timestamp,
            ReceivedTimestamp = receivedTimestamp,
            Content = message.Content ?? "",
            MentionedUserIds = message.Mentions is { Length: > 0 } mentions ? mentions.Select(m => m.Id).ToArray() : [],
            MentionedRoleIds = message.MentionRoles ?? [],
            ReplyToMessageId = isReply ? message.MessageReference!.MessageId : null,
            ReplyToAuthorId = isReply ? message.ReferencedMessage?.Author?.Id : null,
            Attachments = ToAttachments(message.Attachments),
        };
    }

    /// <summary>A MESSAGE_UPDATE: fields the (possibly partial) payload did not carry stay null.</summary>
    public static EditedMessage ToEdited(JsonMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new EditedMessage
        {
            Id = message.Id,
            ChannelId = message.ChannelId,
            AuthorId = message.Author?.Id,
            Content = message.HasContent ? message.Content ?? "" : null,
            Attachments = message.HasAttachments ? ToAttachments(message.Attachments) : null,
        };
    }

    private static IncomingAttachment[] ToAttachments(JsonAttachment[]? attachments) =>
        attachments is { Length: > 0 } ? attachments.Select(a => new IncomingAttachment(a.Filename, a.ContentType, a.Size, a.Url)).ToArray() : [];

    public static MessageAuthor ToAuthor(JsonUser user, JsonGuildMember? member, bool isWebhook = false) =>
        new(user.Id, DisplayName(user, member), user.Bot || isWebhook)
        {
            RoleIds = member?.Roles ?? [],
        };

    public static string DisplayName(JsonUser user, JsonGuildMember? member) =>
        FirstNonEmpty(member?.Nick, user.GlobalName, user.Username) ?? user.Id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The command (or autocomplete request) of an interaction; null for other interaction types.</summary>
    public static IncomingCommand? ToCommand(JsonInteraction interaction, ChannelInfo channel)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        if (interaction.Type is not (InteractionType.ApplicationCommand or InteractionType.ApplicationCommandAutocomplete) || interaction.Data is null)
        {
            return null;
        }

        var user = interaction.Member?.User ?? interaction.User;
        if (user is null)
        {
            return null;
        }

        var options = new Dictionary<string, object?>(StringComparer.Ordinal);
        string? focused = null;
        foreach (var option in Flatten(interaction.Data.Options))
        {
            options[option.Name] = ToValue(option.Value);
            if (option.Focused == true)
            {
                focused = option.Name;
            }
        }

        return new IncomingCommand
        {
            Id = interaction.Id,
            Name = interaction.Data.Name,
            User = ToAuthor(user, interaction.Member),
            Channel = channel,
            Options = options,
            FocusedOption = interaction.Type == InteractionType.ApplicationCommandAutocomplete ? focused ?? "" : null,
        };
    }

    private static IEnumerable<JsonInteractionOption> Flatten(JsonInteractionOption[]? options)
    {
        foreach (var option in options ?? [])
        {
            if (option.Options is { Length: > 0 } nested)
            {
                foreach (var inner in Flatten(nested))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return option;
            }
        }
    }

    private static object? ToValue(JsonElement? value) => value switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.Number } v when v.TryGetInt64(out var l) => l,
        { ValueKind: JsonValueKind.Number } v => v.GetDouble(),
        { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        { } v => v.GetRawText(),
    };

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
