using System.Text.RegularExpressions;
using Cordial.Bot.Messages;

namespace Cordial.Bot.Triggers;

/// <summary>
/// Decides whether a message is for the bot: DMs, mentions, replies to the bot and the bot's own threads always are;
/// channel modes add keywords or every message. Messages from bots (the bot itself included) never are.
/// </summary>
/// <remarks>Immutable and thread-safe; build a new one when the configuration changes.</remarks>
public sealed class TriggerEvaluator
{
    private readonly Dictionary<ulong, (ChannelTriggerOptions Rule, Regex? Keywords)> _rules;

    public TriggerEvaluator(TriggerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _rules = options.Channels.ToDictionary(
            kv => kv.Key,
            kv => (kv.Value, KeywordPattern(kv.Value.Keywords)));
    }

    public TriggerDecision Evaluate(IncomingMessage message, ulong botUserId)
    {
        if (message.Author.IsBot || message.Author.Id == botUserId)
        {
            return default;
        }

        var channel = message.Channel;
        if (channel.Kind == ChannelKind.DirectMessage)
        {
            return new TriggerDecision(TriggerReason.DirectMessage);
        }

        var rule = RuleFor(channel);
        var openThread = channel.Kind == ChannelKind.GuildText && rule?.Rule.OpenThread == true;

        if (message.MentionedUserIds.Contains(botUserId))
        {
            return new TriggerDecision(TriggerReason.Mention, openThread && message.ReplyToMessageId is null);
        }

        if (message.ReplyToAuthorId == botUserId)
        {
            return new TriggerDecision(TriggerReason.ReplyToBot);
        }

        if (channel.Kind == ChannelKind.Thread && channel.ThreadOwnerId == botUserId)
        {
            return new TriggerDecision(TriggerReason.BotThread);
        }

        return rule switch
        {
            { Rule.Mode: ChannelMode.Every } => new TriggerDecision(TriggerReason.EveryMessage, openThread),
            { Rule.Mode: ChannelMode.Keyword, Keywords: { } pattern } when pattern.IsMatch(message.Content) =>
                new TriggerDecision(TriggerReason.Keyword, openThread),
            _ => default,
        };
    }

    private (ChannelTriggerOptions Rule, Regex? Keywords)? RuleFor(ChannelInfo channel)
    {
        foreach (var id in channel.SelfAndAncestors())
        {
            if (_rules.TryGetValue(id, out var rule))
            {
                return rule;
            }
        }

        return null;
    }

    private static Regex? KeywordPattern(IEnumerable<string> keywords)
    {
        var words = keywords.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => Regex.Escape(k.Trim())).ToList();
        return words.Count == 0
            ? null
            : new Regex($@"(?<!\w)(?:{string.Join('|', words)})(?!\w)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
    }
}
