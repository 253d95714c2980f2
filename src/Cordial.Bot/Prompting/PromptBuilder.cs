using System.Globalization;
using System.Text;
using Cordial.Bot.Conversations;
using Microsoft.Extensions.AI;

namespace Cordial.Bot.Prompting;

/// <summary>
/// Turns a conversation into chat messages: the system prompt (placeholders filled, persona appended), the summary of
/// earlier turns when there is one (a second system message), then the turns oldest first, adjacent turns of the same
/// role merged (a long answer split over several Discord messages is one assistant turn), user turns named in guilds,
/// images attached to the turn that carried them.
/// </summary>
public sealed class PromptBuilder(PromptOptions options, TimeProvider timeProvider)
{
    /// <summary>What the summary message starts with.</summary>
    public const string SummaryPrefix = "Summary of the earlier conversation: ";

    public List<ChatMessage> Build(Conversation conversation, PromptContext context) =>
        Build(conversation, context, SystemPrompt(context));

    /// <summary>Builds with a system prompt already made by <see cref="SystemPrompt"/> (whose tokens were budgeted).</summary>
    public List<ChatMessage> Build(Conversation conversation, PromptContext context, string systemPrompt)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(context);
        var messages = new List<ChatMessage>(conversation.Nodes.Count + 2)
        {
            new(ChatRole.System, systemPrompt),
        };

        if (conversation.Summary is { } summary)
        {
            messages.Add(new ChatMessage(ChatRole.System, SummaryPrefix + summary.Text));
        }

        var images = conversation.Images.Count == 0 ? null : conversation.Images.ToHashSet(StringComparer.Ordinal);
        var named = options.IncludeUserNames && context.Channel.Kind != Messages.ChannelKind.DirectMessage;
        ChatMessage? current = null;
        NodeRole? currentRole = null;
        ulong? currentAuthor = null;

        foreach (var node in conversation.Nodes)
        {
            if (node.Role == NodeRole.Assistant && node.Text.Length == 0)
            {
                continue; // the bot's note under an answer, or an answer not yet written: nothing the model said
            }

            var sameTurn = current is not null && currentRole == node.Role && (node.Role == NodeRole.Assistant || currentAuthor == node.AuthorId);
            if (!sameTurn)
            {
                current = new ChatMessage(node.Role == NodeRole.User ? ChatRole.User : ChatRole.Assistant, []);
                messages.Add(current);
                currentRole = node.Role;
                currentAuthor = node.AuthorId;
            }

            var text = node.Role == NodeRole.User && named && !sameTurn ? $"{node.AuthorName}: {node.Text}" : node.Text;
            if (text.Length > 0)
            {
                if (current!.Contents.LastOrDefault() is TextContent previous)
                {
                    previous.Text += "\n\n" + text;
                }
                else
                {
                    current.Contents.Add(new TextContent(text));
                }
            }

            if (images is not null && node.Role == NodeRole.User)
            {
                foreach (var url in node.ImageUrls.Where(images.Contains))
                {
                    current!.Contents.Add(new UriContent(new Uri(url), MediaTypeFor(url)));
                }
            }
        }

        return messages;
    }

    /// <summary>The system prompt for a context: placeholders filled, persona appended.</summary>
    public string SystemPrompt(PromptContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var now = timeProvider.GetUtcNow();
        var channel = context.Channel;
        var where = channel.Kind == Messages.ChannelKind.DirectMessage
            ? ""
            : $" in #{channel.Name ?? "a channel"} of {channel.GuildName ?? "a Discord server"}";
        var prompt = new StringBuilder(options.SystemPrompt)
            .Replace("{date}", now.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture))
            .Replace("{time}", now.ToString("HH:mm", CultureInfo.InvariantCulture))
            .Replace("{guild}", channel.GuildName ?? "direct messages")
            .Replace("{channel}", channel.Name ?? "direct messages")
            .Replace("{user}", context.UserName)
            .Replace("{where}", where);

        var persona = context.Persona ?? PersonaFor(channel);
        if (!string.IsNullOrWhiteSpace(persona))
        {
            prompt.Append("\n\n").Append(persona);
        }

        return prompt.ToString();
    }

    private string? PersonaFor(Messages.ChannelInfo channel)
    {
        foreach (var id in channel.SelfAndAncestors())
        {
            if (options.Personas.TryGetValue(id, out var persona))
            {
                return persona;
            }
        }

        return channel.GuildId is { } guild ? options.Personas.GetValueOrDefault(guild) : null;
    }

    private static string MediaTypeFor(string url)
    {
        var path = url.Split('?', 2)[0];
        return Path.GetExtension(path).ToUpperInvariant() switch
        {
            ".JPG" or ".JPEG" => "image/jpeg",
            ".GIF" => "image/gif",
            ".WEBP" => "image/webp",
            _ => "image/png",
        };
    }
}
