using Cordial.Bot.Conversations;
using Cordial.Bot.Messages;
using Cordial.Bot.Prompting;
using Microsoft.Extensions.AI;

namespace Cordial.Bot.Tests.Prompting;

public sealed class PromptBuilderTests
{
    private static readonly ChannelInfo General = new(10, ChannelKind.GuildText, 1, CategoryId: 5) { Name = "general", GuildName = "Makers" };
    private static readonly ChannelInfo Dm = new(20, ChannelKind.DirectMessage);
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 11, 21, 14, 5, 0, TimeSpan.Zero));

    private static MessageNode Node(ulong id, NodeRole role, string text, ulong author = 1, string name = "ana", params string[] images) => new()
    {
        Id = id, ChannelId = 10, AuthorId = role == NodeRole.Assistant ? 999 : author, AuthorName = name, Role = role, Text = text,
        ImageUrls = images, CreatedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void Placeholders_are_filled_and_the_channel_persona_wins_over_the_guild_persona()
    {
        var options = new PromptOptions
        {
            SystemPrompt = "{date} {time} {guild} {channel} {user}{where}.",
            Personas = { [1] = "Guild persona.", [10] = "You are a pirate." },
        };
        var builder = new PromptBuilder(options, _time);

        var prompt = builder.Build(new Conversation([Node(1, NodeRole.User, "hi")], []), new PromptContext(General, "ana"));

        Assert.Equal("Saturday 21 November 2026 14:05 Makers general ana in #general of Makers.\n\nYou are a pirate.", prompt[0].Text);
        Assert.Equal(ChatRole.System, prompt[0].Role);
    }

    [Fact]
    public void A_persona_set_at_run_time_overrides_the_configured_one()
    {
        var builder = new PromptBuilder(new PromptOptions { SystemPrompt = "S", Personas = { [10] = "configured" } }, _time);

        var prompt = builder.Build(new Conversation([Node(1, NodeRole.User, "hi")], []), new PromptContext(General, "ana", "set with /persona"));

        Assert.Equal("S\n\nset with /persona", prompt[0].Text);
    }

    [Fact]
    public void Adjacent_turns_merge_and_guild_users_are_named()
    {
        var conversation = new Conversation(
        [
            Node(1, NodeRole.User, "look at this"),
            Node(2, NodeRole.User, "and this"),
            Node(3, NodeRole.Assistant, "part one"),
            Node(4, NodeRole.Assistant, "part two"),
            Node(5, NodeRole.User, "what about me?", author: 2, name: "bo"),
        ], []);

        var prompt = new PromptBuilder(new PromptOptions { SystemPrompt = "S" }, _time).Build(conversation, new PromptContext(General, "bo"));

        Assert.Equal(
            [(ChatRole.User, "ana: look at this\n\nand this"), (ChatRole.Assistant, "part one\n\npart two"), (ChatRole.User, "bo: what about me?")],
            prompt.Skip(1).Select(m => (m.Role, m.Text)));
    }

    [Fact]
    public void The_bots_messages_without_text_add_no_turn()
    {
        // A /chat answer still "thinking…" between two people's messages, and a note under a finished answer.
        var conversation = new Conversation(
        [
            Node(1, NodeRole.User, "pick a day"),
            Node(2, NodeRole.Assistant, "", author: 999),
            Node(3, NodeRole.User, "and the time?", author: 2, name: "bo"),
            Node(4, NodeRole.Assistant, "At ten.", author: 999),
            Node(5, NodeRole.Assistant, "", author: 999),
            Node(6, NodeRole.User, "thanks", author: 2, name: "bo"),
        ], []);

        var prompt = new PromptBuilder(new PromptOptions { SystemPrompt = "S" }, _time).Build(conversation, new PromptContext(General, "bo"));

        Assert.Equal(
            [(ChatRole.User, "ana: pick a day"), (ChatRole.User, "bo: and the time?"), (ChatRole.Assistant, "At ten."), (ChatRole.User, "bo: thanks")],
            prompt.Skip(1).Select(m => (m.Role, m.Text)));
    }

    [Fact]
    public void Direct_messages_are_not_prefixed_and_images_ride_on_their_own_turn()
    {
        var conversation = new Conversation(
            [Node(1, NodeRole.User, "old", images: "https://cdn/old.png"), Node(2, NodeRole.Assistant, "nice"), Node(3, NodeRole.User, "new", images: "https://cdn/new.jpg")],
            []) { Images = ["https://cdn/new.jpg"] };

        var prompt = new PromptBuilder(new PromptOptions { SystemPrompt = "S" }, _time).Build(conversation, new PromptContext(Dm, "ana"));

        Assert.Equal("old", prompt[1].Text);
        Assert.DoesNotContain(prompt[1].Contents, c => c is UriContent);
        var image = Assert.Single(prompt[3].Contents.OfType<UriContent>());
        Assert.Equal(("https://cdn/new.jpg", "image/jpeg"), (image.Uri.ToString(), image.MediaType));
        Assert.Equal("new", prompt[3].Text);
    }

    [Fact]
    public void An_empty_system_prompt_is_a_configuration_error_naming_the_setting()
    {
        Assert.Equal(["Bot:Prompt:SystemPrompt must not be empty."], new PromptOptions { SystemPrompt = " " }.Validate());
    }
}
