using Cordial.Bot.Conversations;
using Cordial.Bot.Messages;
using Microsoft.Extensions.Logging.Abstractions;
using static Cordial.Bot.Tests.Conversations.FakeDiscordHistory;

namespace Cordial.Bot.Tests.Conversations;

public sealed class MessageNodeUpdaterTests
{
    private readonly FakeDiscordHistory _discord = new();
    private readonly InMemoryMessageNodeStore _store = new();
    private readonly ChannelActivity _activity = new();
    private readonly ConversationOptions _options = new();
    private readonly ParentResolver _parents;
    private readonly MessageNodeFactory _factory;
    private readonly ConversationBuilder _builder;
    private readonly MessageNodeUpdater _updater;

    public MessageNodeUpdaterTests()
    {
        _parents = new ParentResolver(_store, _discord, _activity);
        _factory = new MessageNodeFactory(_discord, _options);
        _builder = new ConversationBuilder(_store, _discord, _parents, _factory, _options);
        _updater = new MessageNodeUpdater(_store, _factory, _discord, NullLogger<MessageNodeUpdater>.Instance);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<MessageNode> ReceiveAsync(IncomingMessage message)
    {
        var parent = await _parents.ResolveAsync(message, BotId, isLatest: true, Ct);
        _activity.Observe(message);
        var node = await _factory.CreateAsync(message, BotId, parent, Ct);
        await _store.PutAsync([node], Ct);
        return node;
    }

    /// <summary>The edit as Discord sends it today: the whole message.</summary>
    private static EditedMessage Full(IncomingMessage message) => new()
    {
        Id = message.Id,
        ChannelId = message.ChannelId,
        AuthorId = message.Author.Id,
        Content = message.Content,
        Attachments = message.Attachments,
    };

    private async Task<string[]> TextsAsync(MessageNode newest) =>
        (await _builder.BuildAsync(newest, General, BotId, vision: true, Ct)).Nodes.Select(n => n.Text).ToArray();

    [Fact]
    public async Task An_edited_question_is_what_a_later_reply_in_the_chain_sees()
    {
        var question = _discord.Say(General, 1, "what is the capital of Austrlia?", mention: true);
        var asked = await ReceiveAsync(question);
        var answer = await ReceiveAsync(_discord.Say(General, BotId, "Canberra.", replyTo: asked.Id));
        var fetches = _discord.Fetches;

        var outcome = await _updater.ApplyAsync(Full(_discord.Edit(question.Id, $"<@{BotId}> what is the capital of Australia?")), BotId, Ct);
        Assert.Equal(fetches, _discord.Fetches);
        var followUp = await ReceiveAsync(_discord.Say(General, 1, "and its population?", replyTo: answer.Id, mention: true));

        Assert.Equal(NodeEditOutcome.Updated, outcome);
        Assert.Equal(["what is the capital of Australia?", "Canberra.", "and its population?"], await TextsAsync(followUp));
        var stored = _store.Nodes[question.Id];
        // parent, author, time and role are kept
        Assert.Equal((asked.ParentId, asked.AuthorId, asked.AuthorName, asked.CreatedAt, asked.Role, asked.GuildId),
            (stored.ParentId, stored.AuthorId, stored.AuthorName, stored.CreatedAt, stored.Role, stored.GuildId));
    }

    [Fact]
    public async Task An_edit_of_a_message_the_store_does_not_know_costs_no_fetch_and_stores_nothing()
    {
        var unknown = _discord.Say(General, 2, "chatting among ourselves");
        var fetches = _discord.Fetches;

        var outcome = await _updater.ApplyAsync(Full(_discord.Edit(unknown.Id, "chatting, edited")), BotId, Ct);

        Assert.Equal(NodeEditOutcome.Unknown, outcome);
        Assert.Empty(_store.Nodes);
        Assert.Equal(fetches, _discord.Fetches);
    }

    [Fact]
    public async Task The_bots_own_edits_are_ignored_without_a_store_lookup()
    {
        var asked = await ReceiveAsync(_discord.Say(General, 1, "hi", mention: true));
        var answer = await ReceiveAsync(_discord.Say(General, BotId, "Hello!", replyTo: asked.Id));
        var gets = _store.Gets;

        var own = await _updater.ApplyAsync(Full(_discord.Edit(answer.Id, "Hello! (streaming…)")), BotId, Ct);
        Assert.Equal(NodeEditOutcome.OwnMessage, own);
        Assert.Equal(gets, _store.Gets);

        // without the author in the payload, the stored node says whose it is
        var partial = await _updater.ApplyAsync(new EditedMessage { Id = answer.Id, ChannelId = General.Id, Content = "changed" }, BotId, Ct);
        Assert.Equal(NodeEditOutcome.OwnMessage, partial);
        Assert.Equal("Hello!", _store.Nodes[answer.Id].Text);
    }

    [Fact]
    public async Task A_partial_update_changes_only_what_it_carries()
    {
        var question = _discord.Say(General, 1, "first words", mention: true);
        await ReceiveAsync(question);
        var fetches = _discord.Fetches;

        // an embed unfurl: neither text nor attachments
        Assert.Equal(NodeEditOutcome.NothingToApply, await _updater.ApplyAsync(new EditedMessage { Id = question.Id, ChannelId = General.Id }, BotId, Ct));
        // text the bot may not read (no MESSAGE_CONTENT intent) never wipes the stored text
        Assert.Equal(NodeEditOutcome.NothingToApply, await _updater.ApplyAsync(new EditedMessage { Id = question.Id, ChannelId = General.Id, Content = "" }, BotId, Ct));
        Assert.Equal("first words", _store.Nodes[question.Id].Text);

        // text without attachments, on a node that had none: applied directly
        Assert.Equal(NodeEditOutcome.Updated, await _updater.ApplyAsync(new EditedMessage { Id = question.Id, ChannelId = General.Id, Content = "second words" }, BotId, Ct));
        Assert.Equal("second words", _store.Nodes[question.Id].Text);
        Assert.Equal(NodeEditOutcome.Unchanged, await _updater.ApplyAsync(new EditedMessage { Id = question.Id, ChannelId = General.Id, Content = "second words" }, BotId, Ct));
        Assert.Equal(fetches, _discord.Fetches);
    }

    [Fact]
    public async Task A_text_edit_keeps_the_attachments_the_update_does_not_carry()
    {
        var file = new IncomingAttachment("notes.txt", "text/plain", 12, "https://cdn.example/notes.txt");
        var image = new IncomingAttachment("cat.png", "image/png", 1000, "https://cdn.example/cat.png");
        _discord.AttachmentTexts[file.Url] = "line one\nline two";
        var question = _discord.Say(General, 1, "summarise this", mention: true, attachments: [file, image]);
        await ReceiveAsync(question);
        var fetches = _discord.Fetches;

        _discord.Edit(question.Id, $"<@{BotId}> summarise this briefly");
        var outcome = await _updater.ApplyAsync(new EditedMessage { Id = question.Id, ChannelId = General.Id, Content = $"<@{BotId}> summarise this briefly" }, BotId, Ct);

        Assert.Equal(NodeEditOutcome.Updated, outcome);
        var stored = _store.Nodes[question.Id];
        Assert.Equal("summarise this briefly\n\nAttached file notes.txt:\nline one\nline two", stored.Text);
        Assert.Equal([image.Url], stored.ImageUrls);
        Assert.Equal(fetches + 1, _discord.Fetches); // the stored text has the file inlined: the whole message is read once
    }

    [Fact]
    public async Task Removing_an_attachment_removes_it_from_the_stored_node()
    {
        var file = new IncomingAttachment("draft.md", "text/markdown", 5, "https://cdn.example/draft.md");
        _discord.AttachmentTexts[file.Url] = "# old";
        var question = _discord.Say(General, 1, "review", mention: true, attachments: [file]);
        await ReceiveAsync(question);
        var fetches = _discord.Fetches;

        _discord.Edit(question.Id, $"<@{BotId}> review", attachments: []);
        var outcome = await _updater.ApplyAsync(new EditedMessage { Id = question.Id, ChannelId = General.Id, Attachments = [] }, BotId, Ct);

        Assert.Equal(NodeEditOutcome.Updated, outcome);
        Assert.Equal("review", _store.Nodes[question.Id].Text);
        Assert.Equal(fetches + 1, _discord.Fetches); // the text was not in the update
    }

    [Fact]
    public async Task A_partial_update_of_a_message_deleted_meanwhile_keeps_the_node()
    {
        var file = new IncomingAttachment("a.txt", "text/plain", 1, "https://cdn.example/a.txt");
        _discord.AttachmentTexts[file.Url] = "a";
        var question = _discord.Say(General, 1, "look", mention: true, attachments: [file]);
        var node = await ReceiveAsync(question);
        _discord.Delete(question.Id);

        var outcome = await _updater.ApplyAsync(new EditedMessage { Id = question.Id, ChannelId = General.Id, Content = "look again" }, BotId, Ct);

        Assert.Equal(NodeEditOutcome.Unreadable, outcome);
        Assert.Equal(node, _store.Nodes[question.Id]);
    }
}
