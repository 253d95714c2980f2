using Cordial.Bot.Messages;
using Cordial.Bot.Triggers;

namespace Cordial.Bot.Tests.Triggers;

public sealed class TriggerEvaluatorTests
{
    private const ulong BotId = 999;
    private static readonly ChannelInfo General = new(10, ChannelKind.GuildText, 1, CategoryId: 5);

    private static IncomingMessage Message(ChannelInfo channel, string content = "hello", bool mention = false, ulong? replyToAuthor = null, bool fromBot = false, ulong author = 1) => new()
    {
        Id = 100,
        ChannelId = channel.Id,
        Channel = channel,
        Author = new MessageAuthor(author, "ana", fromBot),
        Timestamp = DateTimeOffset.UnixEpoch,
        Content = content,
        MentionedUserIds = mention ? [BotId] : [],
        ReplyToMessageId = replyToAuthor is null ? null : 50,
        ReplyToAuthorId = replyToAuthor,
    };

    private static TriggerEvaluator Evaluator(params (ulong Id, ChannelTriggerOptions Rule)[] rules) =>
        new(new TriggerOptions { Channels = rules.ToDictionary(r => r.Id, r => r.Rule) });

    [Fact]
    public void Mentions_direct_messages_replies_to_the_bot_and_its_threads_trigger_by_default()
    {
        var evaluator = Evaluator();
        var botThread = new ChannelInfo(77, ChannelKind.Thread, 1, General.Id) { ThreadOwnerId = BotId };
        var userThread = new ChannelInfo(78, ChannelKind.Thread, 1, General.Id) { ThreadOwnerId = 1 };

        Assert.Equal(TriggerReason.Mention, evaluator.Evaluate(Message(General, mention: true), BotId).Reason);
        Assert.Equal(TriggerReason.DirectMessage, evaluator.Evaluate(Message(new ChannelInfo(20, ChannelKind.DirectMessage)), BotId).Reason);
        Assert.Equal(TriggerReason.ReplyToBot, evaluator.Evaluate(Message(General, replyToAuthor: BotId), BotId).Reason);
        Assert.Equal(TriggerReason.BotThread, evaluator.Evaluate(Message(botThread), BotId).Reason);
        Assert.False(evaluator.Evaluate(Message(userThread), BotId).Triggered);
        Assert.False(evaluator.Evaluate(Message(General), BotId).Triggered);
        Assert.False(evaluator.Evaluate(Message(General, replyToAuthor: 2), BotId).Triggered);
    }

    [Fact]
    public void Bots_never_trigger_not_even_by_mentioning()
    {
        var evaluator = Evaluator((General.Id, new ChannelTriggerOptions { Mode = ChannelMode.Every }));

        Assert.False(evaluator.Evaluate(Message(General, mention: true, fromBot: true, author: 5), BotId).Triggered);
        Assert.False(evaluator.Evaluate(Message(new ChannelInfo(20, ChannelKind.DirectMessage), author: BotId), BotId).Triggered);
    }

    [Fact]
    public void Keyword_mode_matches_whole_words_case_insensitively_in_the_channel_and_its_threads()
    {
        var evaluator = Evaluator((General.Id, new ChannelTriggerOptions { Mode = ChannelMode.Keyword, Keywords = ["cordial", "hey bot"] }));
        var thread = new ChannelInfo(77, ChannelKind.Thread, 1, General.Id);

        Assert.Equal(TriggerReason.Keyword, evaluator.Evaluate(Message(General, "ask Cordial please"), BotId).Reason);
        Assert.Equal(TriggerReason.Keyword, evaluator.Evaluate(Message(General, "HEY BOT, hi"), BotId).Reason);
        Assert.Equal(TriggerReason.Keyword, evaluator.Evaluate(Message(thread, "cordial?"), BotId).Reason);
        Assert.False(evaluator.Evaluate(Message(General, "cordiality is nice"), BotId).Triggered);
        Assert.False(evaluator.Evaluate(Message(new ChannelInfo(11, ChannelKind.GuildText, 1), "cordial"), BotId).Triggered);
    }

    [Fact]
    public void Every_mode_on_a_category_covers_its_channels_and_can_open_threads()
    {
        var evaluator = Evaluator((5, new ChannelTriggerOptions { Mode = ChannelMode.Every, OpenThread = true }));

        var decision = evaluator.Evaluate(Message(General), BotId);

        Assert.Equal(new TriggerDecision(TriggerReason.EveryMessage, OpenThread: true), decision);
        Assert.True(evaluator.Evaluate(Message(General, mention: true), BotId).OpenThread);
        Assert.False(evaluator.Evaluate(Message(new ChannelInfo(77, ChannelKind.Thread, 1, General.Id, 5) { ThreadOwnerId = BotId }), BotId).OpenThread);
    }

    [Fact]
    public void Keyword_mode_without_keywords_is_a_configuration_error_naming_the_setting()
    {
        var options = new TriggerOptions { Channels = { [42] = new ChannelTriggerOptions { Mode = ChannelMode.Keyword } } };

        Assert.Equal(["Bot:Triggers:Channels:42:Keywords must name at least one keyword when Mode is Keyword."], options.Validate());
    }
}
