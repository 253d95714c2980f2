using Cordial.Bot.Conversations;
using Cordial.Bot.Messages;
using static Cordial.Bot.Tests.Conversations.FakeDiscordHistory;

namespace Cordial.Bot.Tests.Conversations;

public sealed class ConversationTests
{
    private readonly FakeDiscordHistory _discord = new();
    private readonly InMemoryMessageNodeStore _store = new();
    private readonly ChannelActivity _activity = new();
    private readonly ConversationOptions _options = new();
    private readonly ParentResolver _parents;
    private readonly MessageNodeFactory _factory;
    private readonly ConversationBuilder _builder;

    public ConversationTests()
    {
        _parents = new ParentResolver(_store, _discord, _activity);
        _factory = new MessageNodeFactory(_discord, _options);
        _builder = new ConversationBuilder(_store, _discord, _parents, _factory, _options);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>What the bot does when a message arrives: observe it, resolve its parent, store its node.</summary>
    private async Task<MessageNode> ReceiveAsync(IncomingMessage message)
    {
        var parent = await _parents.ResolveAsync(message, BotId, isLatest: true, Ct);
        _activity.Observe(message);
        var node = await _factory.CreateAsync(message, BotId, parent, Ct);
        await _store.PutAsync([node], Ct);
        return node;
    }

    private async Task<string[]> TextsAsync(MessageNode newest, ChannelInfo channel, bool vision = true) =>
        (await _builder.BuildAsync(newest, channel, BotId, vision, Ct)).Nodes.Select(n => n.Text).ToArray();

    [Fact]
    public async Task A_reply_chain_is_a_conversation_and_branches_are_independent()
    {
        var a = await ReceiveAsync(_discord.Say(General, 1, "what is 2+2?", mention: true));
        var b = await ReceiveAsync(_discord.Say(General, BotId, "4", replyTo: a.Id));
        var c1 = await ReceiveAsync(_discord.Say(General, 1, "and times 3?", replyTo: b.Id, mention: true));
        var c2 = await ReceiveAsync(_discord.Say(General, 2, "and minus 1?", replyTo: b.Id, mention: true));

        Assert.Equal(["what is 2+2?", "4", "and times 3?"], await TextsAsync(c1, General));
        Assert.Equal(["what is 2+2?", "4", "and minus 1?"], await TextsAsync(c2, General));
        Assert.Equal([NodeRole.User, NodeRole.Assistant, NodeRole.User], (await _builder.BuildAsync(c1, General, BotId, true, Ct)).Nodes.Select(n => n.Role));
    }

    [Fact]
    public async Task Replying_to_anyones_message_while_mentioning_the_bot_pulls_it_in()
    {
        var other = _discord.Say(General, 3, "Rust has no garbage collector");
        _activity.Observe(other);
        var ask = await ReceiveAsync(_discord.Say(General, 1, "is that true?", replyTo: other.Id, mention: true));

        Assert.Equal(["Rust has no garbage collector", "is that true?"], await TextsAsync(ask, General));
        // The pulled-in message was unknown: one fetch for it, one to learn whether it continued its author's previous
        // message; then it is stored and a rebuild costs nothing.
        Assert.Equal(2, _discord.Fetches);
        Assert.True(_store.Nodes.ContainsKey(other.Id));
        Assert.Equal(["Rust has no garbage collector", "is that true?"], await TextsAsync(ask, General));
        Assert.Equal(2, _discord.Fetches);
    }

    [Fact]
    public async Task Back_to_back_messages_of_the_same_user_are_chained_but_not_another_users()
    {
        _activity.Observe(_discord.Say(General, 2, "unrelated"));
        var first = await ReceiveAsync(_discord.Say(General, 1, "here is some code:"));
        var second = await ReceiveAsync(_discord.Say(General, 1, "what does it do?", mention: true));
        var third = await ReceiveAsync(_discord.Say(General, 2, "hi bot", mention: true));

        Assert.Equal(first.Id, second.ParentId);
        Assert.Equal(["here is some code:", "what does it do?"], await TextsAsync(second, General));
        Assert.Null(third.ParentId);
    }

    [Fact]
    public async Task Direct_messages_continue_automatically_and_a_mention_starts_fresh()
    {
        var a = await ReceiveAsync(_discord.Say(Dm, 1, "hi"));
        var b = await ReceiveAsync(_discord.Say(Dm, BotId, "hello!", replyTo: a.Id));
        var c = await ReceiveAsync(_discord.Say(Dm, 1, "how are you?"));
        var fresh = await ReceiveAsync(_discord.Say(Dm, 1, "new topic", mention: true));
        var d = await ReceiveAsync(_discord.Say(Dm, 1, "go on"));

        Assert.Equal(["hi", "hello!", "how are you?"], await TextsAsync(c, Dm));
        Assert.Equal(["new topic"], await TextsAsync(fresh, Dm));
        Assert.Equal(["new topic", "go on"], await TextsAsync(d, Dm));
        Assert.Equal(b.Id, c.ParentId);
    }

    [Fact]
    public async Task A_reset_stops_automatic_continuation()
    {
        await ReceiveAsync(_discord.Say(Dm, 1, "remember 42"));
        var answer = await ReceiveAsync(_discord.Say(Dm, BotId, "ok"));
        await _store.SetResetAsync(Dm.Id, 1, answer.Id, Ct);

        var next = await ReceiveAsync(_discord.Say(Dm, 1, "what number?"));

        Assert.Null(next.ParentId);
        Assert.Equal(["what number?"], await TextsAsync(next, Dm));
    }

    [Fact]
    public async Task A_thread_is_one_conversation_starting_at_its_starter_message()
    {
        var starter = await ReceiveAsync(_discord.Say(General, 1, "let's plan a trip", mention: true));
        var thread = ThreadOf(starter.Id);
        var b = await ReceiveAsync(_discord.Say(thread, BotId, "where to?"));
        var c = await ReceiveAsync(_discord.Say(thread, 1, "Lisbon"));
        var d = await ReceiveAsync(_discord.Say(thread, BotId, "great choice"));

        Assert.Equal(starter.Id, b.ParentId);
        Assert.Equal(["let's plan a trip", "where to?", "Lisbon", "great choice"], await TextsAsync(d, thread));
    }

    [Fact]
    public async Task After_a_start_a_seeded_channel_needs_no_discord_read_to_chain_a_first_message()
    {
        // Before the restart: the user's message, stored as a node; the gateway then says it is the channel's last one.
        var earlier = await ReceiveAsync(_discord.Say(General, 1, "here is some code:"));
        var fetches = _discord.Fetches;
        var restarted = new ChannelActivity();
        restarted.Seed(General.Id, earlier.Id);
        restarted.Seed(Dm.Id, lastMessageId: null);
        var parents = new ParentResolver(_store, _discord, restarted);

        var chained = await parents.ResolveAsync(_discord.Say(General, 1, "what does it do?", mention: true), BotId, isLatest: true, Ct);
        var other = await parents.ResolveAsync(_discord.Say(General, 2, "hi bot", mention: true), BotId, isLatest: true, Ct);
        var first = await parents.ResolveAsync(_discord.Say(Dm, 1, "hello"), BotId, isLatest: true, Ct);

        Assert.Equal(earlier.Id, chained);
        Assert.Null(other);
        Assert.Null(first);
        Assert.Equal(fetches, _discord.Fetches);
    }

    [Fact]
    public async Task A_seeded_last_message_the_store_does_not_know_is_read_from_discord()
    {
        var unseen = _discord.Say(General, 1, "written while the bot was away");
        var restarted = new ChannelActivity();
        restarted.Seed(General.Id, unseen.Id);
        var parents = new ParentResolver(_store, _discord, restarted);

        var chained = await parents.ResolveAsync(_discord.Say(General, 1, "so?", mention: true), BotId, isLatest: true, Ct);

        Assert.Equal(unseen.Id, chained); // its author was learnt from Discord
        Assert.Equal(1, _discord.Fetches);
    }

    [Fact]
    public async Task After_a_restart_unknown_parents_are_fetched_once_and_then_come_from_the_store()
    {
        var a = _discord.Say(General, 1, "first", mention: true);
        var b = _discord.Say(General, BotId, "reply", replyTo: a.Id);
        var c = await ReceiveAsync(_discord.Say(General, 1, "third", replyTo: b.Id, mention: true));

        Assert.Equal(["first", "reply", "third"], await TextsAsync(c, General));
        var fetches = _discord.Fetches;
        Assert.Equal(["first", "reply", "third"], await TextsAsync(c, General));
        Assert.Equal(fetches, _discord.Fetches);
    }

    [Fact]
    public async Task Long_conversations_keep_the_newest_messages_and_say_so()
    {
        _options.MaxMessages = 3;
        MessageNode last = await ReceiveAsync(_discord.Say(Dm, 1, "m0"));
        for (var i = 1; i < 6; i++)
        {
            last = await ReceiveAsync(_discord.Say(Dm, i % 2 == 0 ? 1UL : BotId, $"m{i}"));
        }

        var conversation = await _builder.BuildAsync(last, Dm, BotId, true, Ct);

        Assert.Equal(["m3", "m4", "m5"], conversation.Nodes.Select(n => n.Text));
        Assert.Contains("Only the last 3 messages of this conversation are used.", conversation.Warnings);
    }

    [Fact]
    public async Task A_deleted_parent_ends_the_chain_with_a_warning()
    {
        var a = _discord.Say(General, 1, "gone", mention: true);
        _discord.Delete(a.Id);
        var b = await ReceiveAsync(_discord.Say(General, 1, "still here", replyTo: a.Id, mention: true));

        var conversation = await _builder.BuildAsync(b, General, BotId, true, Ct);

        Assert.Equal(["still here"], conversation.Nodes.Select(n => n.Text));
        Assert.Single(conversation.Warnings);
    }

    [Fact]
    public async Task Images_go_to_vision_models_newest_first_up_to_the_limit()
    {
        _options.MaxImages = 2;
        IncomingAttachment Image(int i) => new($"p{i}.png", "image/png", 10, $"https://cdn/p{i}.png");
        var a = await ReceiveAsync(_discord.Say(Dm, 1, "look", attachments: [Image(1), Image(2)]));
        var b = await ReceiveAsync(_discord.Say(Dm, 1, "and this", attachments: [Image(3)]));

        var vision = await _builder.BuildAsync(b, Dm, BotId, vision: true, Ct);
        var blind = await _builder.BuildAsync(b, Dm, BotId, vision: false, Ct);

        Assert.Equal(["https://cdn/p3.png", "https://cdn/p1.png"], vision.Images);
        Assert.Contains("Only the newest 2 images are used.", vision.Warnings);
        Assert.Empty(blind.Images);
        Assert.Contains("This model cannot see images; they were left out.", blind.Warnings);
        Assert.Equal(a.Id, b.ParentId);
    }

    [Fact]
    public async Task Text_attachments_are_inlined_and_unsupported_ones_named()
    {
        _discord.AttachmentTexts["https://cdn/notes.md"] = "# Notes\nbuy milk";
        var node = await ReceiveAsync(_discord.Say(General, 1, "summarize", mention: true, attachments:
        [
            new IncomingAttachment("notes.md", null, 15, "https://cdn/notes.md"),
            new IncomingAttachment("song.mp3", "audio/mpeg", 5_000_000, "https://cdn/song.mp3"),
            new IncomingAttachment("broken.txt", "text/plain", 10, "https://cdn/missing.txt"),
        ]));

        Assert.Equal("summarize\n\nAttached file notes.md:\n# Notes\nbuy milk", node.Text);
        Assert.Contains(node.Warnings, w => w.Contains("song.mp3", StringComparison.Ordinal) && w.Contains("audio/mpeg", StringComparison.Ordinal));
        Assert.Contains(node.Warnings, w => w.Contains("broken.txt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Huge_messages_are_cut_at_the_limit_without_splitting_a_surrogate_pair()
    {
        _options.MaxTextLength = 101;
        var text = new string('a', 100) + "🙂🙂";

        var node = await ReceiveAsync(_discord.Say(Dm, 1, text));

        Assert.Equal(new string('a', 100), node.Text);
        Assert.Contains("A message was cut to its first 101 characters.", node.Warnings);
    }

    [Fact]
    public void The_bots_mention_is_removed_in_both_forms_and_others_are_kept()
    {
        Assert.Equal("hi <@5>", MessageNodeFactory.RemoveMention($"<@{BotId}> hi <@5> <@!{BotId}>", BotId));
    }
}
