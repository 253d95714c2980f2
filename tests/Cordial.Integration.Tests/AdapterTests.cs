using System.Text;
using System.Text.Json;
using Cordial.Adapters;
using Cordial.Bot.Commands;
using Cordial.Bot.Messages;
using Cordial.Discord.Models;
using Cordial.Hosting;
using Cordial.Llm;
using Cordial.Llm.Quotas;

namespace Cordial.Integration.Tests;

/// <summary>The pure parts of the Discord adapter: mapping wire objects, the channel cache, command JSON.</summary>
public sealed class AdapterTests
{
    private static readonly ChannelInfo General = new(10, ChannelKind.GuildText, 1);

    [Fact]
    public void A_reply_maps_its_parent_and_author_and_names_prefer_the_nickname()
    {
        var message = new JsonMessage
        {
            Id = 100,
            ChannelId = 10,
            GuildId = 1,
            Author = new JsonUser { Id = 7, Username = "alice_1", GlobalName = "Alice" },
            Member = new JsonGuildMember { Nick = "Captain", Roles = [55, 66] },
            Content = "hi <@9>",
            Mentions = [new JsonUser { Id = 9 }],
            MentionRoles = [55],
            Type = MessageType.Reply,
            MessageReference = new JsonMessageReference { MessageId = 90, ChannelId = 10 },
            ReferencedMessage = new JsonMessage { Id = 90, Author = new JsonUser { Id = 9, Bot = true } },
            Attachments = [new JsonAttachment { Filename = "a.txt", ContentType = "text/plain", Size = 3, Url = "https://cdn/a.txt" }],
        };

        var incoming = DiscordMessageMapper.ToIncoming(message, General);

        Assert.Equal("Captain", incoming.Author.Name);
        Assert.Equal([55UL, 66UL], incoming.Author.RoleIds);
        Assert.False(incoming.Author.IsBot);
        Assert.Equal(90UL, incoming.ReplyToMessageId);
        Assert.Equal(9UL, incoming.ReplyToAuthorId);
        Assert.Equal([9UL], incoming.MentionedUserIds);
        Assert.Equal("a.txt", Assert.Single(incoming.Attachments).Filename);
    }

    [Fact]
    public void A_partial_message_update_leaves_what_it_does_not_carry_null()
    {
        static JsonMessage Parse(string json) => JsonSerializer.Deserialize(json, DiscordJsonContext.Default.JsonMessage)!;

        var unfurl = DiscordMessageMapper.ToEdited(Parse("""{"id":"5","channel_id":"10","embeds":[{"title":"link"}]}"""));
        Assert.Equal((5UL, 10UL, (ulong?)null, (string?)null), (unfurl.Id, unfurl.ChannelId, unfurl.AuthorId, unfurl.Content));
        Assert.Null(unfurl.Attachments);

        var textOnly = DiscordMessageMapper.ToEdited(Parse("""{"id":"5","channel_id":"10","content":"","author":{"id":"7","username":"a"}}"""));
        Assert.Equal("", textOnly.Content);
        Assert.Equal(7UL, textOnly.AuthorId);
        Assert.Null(textOnly.Attachments);

        var full = DiscordMessageMapper.ToEdited(Parse("""{"id":"5","channel_id":"10","content":"new","attachments":[{"id":"1","filename":"a.txt","size":3,"url":"https://cdn/a.txt"}]}"""));
        Assert.Equal("new", full.Content);
        Assert.Equal("a.txt", Assert.Single(full.Attachments!).Filename);
    }

    [Fact]
    public void A_forward_is_not_a_reply_and_webhooks_count_as_bots()
    {
        var forward = new JsonMessage
        {
            Id = 100,
            ChannelId = 10,
            Author = new JsonUser { Id = 7, Username = "hook" },
            WebhookId = 3,
            MessageReference = new JsonMessageReference { Type = 1, MessageId = 90 },
        };

        var incoming = DiscordMessageMapper.ToIncoming(forward, General);

        Assert.Null(incoming.ReplyToMessageId);
        Assert.True(incoming.Author.IsBot);
        Assert.Equal("hook", incoming.Author.Name);
    }

    [Fact]
    public void Interaction_options_are_flattened_and_autocomplete_names_the_focused_option()
    {
        var interaction = new JsonInteraction
        {
            Id = 5,
            Type = InteractionType.ApplicationCommandAutocomplete,
            ChannelId = 10,
            Token = "t",
            Member = new JsonGuildMember { User = new JsonUser { Id = 7, Username = "alice" }, Roles = [1] },
            Data = new JsonInteractionData
            {
                Name = "model",
                Options = [new JsonInteractionOption { Name = "name", Value = JsonDocument.Parse("\"lar\"").RootElement, Focused = true }],
            },
        };

        var command = DiscordMessageMapper.ToCommand(interaction, General)!;

        Assert.Equal("model", command.Name);
        Assert.Equal("lar", command.GetString("name"));
        Assert.Equal("name", command.FocusedOption);
        Assert.True(command.IsAutocomplete);
        Assert.Equal(7UL, command.User.Id);
        Assert.Null(DiscordMessageMapper.ToCommand(new JsonInteraction { Type = InteractionType.Ping }, General));
    }

    [Fact]
    public void The_cache_gives_threads_their_channel_and_category_and_stays_bounded()
    {
        var cache = new GuildCache(channelCapacity: 100);
        cache.AddGuild(new JsonGuild
        {
            Id = 1,
            Name = "Guild",
            Channels =
            [
                new JsonChannel { Id = 2, Type = ChannelType.GuildCategory, Name = "cat" },
                new JsonChannel { Id = 3, Type = ChannelType.GuildText, Name = "general", ParentId = 2 },
            ],
            Threads = [new JsonChannel { Id = 4, Type = ChannelType.PublicThread, Name = "t", ParentId = 3, OwnerId = 99 }],
        });

        var thread = cache.Find(4)!;
        Assert.Equal(ChannelKind.Thread, thread.Kind);
        Assert.Equal(3UL, thread.ParentChannelId);
        Assert.Equal(2UL, thread.CategoryId);
        Assert.Equal(99UL, thread.ThreadOwnerId);
        Assert.Equal("Guild", thread.GuildName);
        Assert.Equal([4UL, 3UL, 2UL], thread.SelfAndAncestors());
        var channel = cache.Find(3)!;
        Assert.Equal(ChannelKind.GuildText, channel.Kind);
        Assert.Equal(2UL, channel.CategoryId);

        for (ulong id = 1000; id < 1300; id++)
        {
            cache.AddChannel(new JsonChannel { Id = id, Type = ChannelType.GuildText, GuildId = 1 });
        }

        Assert.Equal(100, cache.ChannelCount);
        Assert.Null(cache.Find(3));
        Assert.NotNull(cache.Find(1299));
    }

    [Fact]
    public void Commands_become_chat_input_commands_with_string_options()
    {
        var chat = CommandRegistrar.ToJson(CommandDefinition.All.Single(c => c.Name == "chat"));
        var model = CommandRegistrar.ToJson(CommandDefinition.All.Single(c => c.Name == "model"));

        Assert.Equal(1, chat.Type);
        var prompt = Assert.Single(chat.Options!);
        Assert.Equal(ApplicationCommandOptionType.String, prompt.Type);
        Assert.True(prompt.Required);
        Assert.Equal(6000, prompt.MaxLength);
        Assert.True(Assert.Single(model.Options!).Autocomplete);
        Assert.Null(CommandRegistrar.ToJson(CommandDefinition.All.Single(c => c.Name == "help")).Options);
    }

    [Theory]
    [InlineData("héllo wörld", 0)]
    [InlineData("héllo wörld", 1)]
    [InlineData("a€", 1)]
    [InlineData("a€", 2)]
    [InlineData("x😀", 1)]
    [InlineData("x😀", 3)]
    public void A_text_cut_at_the_byte_cap_never_ends_in_half_a_character(string text, int cutFromEnd)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var decoded = HttpAttachmentReader.DecodeUtf8Prefix(bytes.AsSpan(0, bytes.Length - cutFromEnd));

        Assert.DoesNotContain('\uFFFD', decoded);
        Assert.StartsWith(decoded, text, StringComparison.Ordinal);
        Assert.True(cutFromEnd > 0 || decoded == text);
    }

    [Fact]
    public void Provider_failures_are_described_by_kind_even_when_wrapped()
    {
        var describer = new LlmFailureDescriber();
        var limited = new Cordial.Llm.LlmProviderException(Cordial.Llm.LlmFailureKind.RateLimited, "429 from provider: secret body");
        var tooLong = new Cordial.Llm.LlmProviderException(Cordial.Llm.LlmFailureKind.ContextTooLong, "too long");

        Assert.Contains("rate-limiting", describer.Describe(limited), StringComparison.Ordinal);
        Assert.DoesNotContain("secret body", describer.Describe(limited), StringComparison.Ordinal);
        Assert.Contains("/reset", describer.Describe(new InvalidOperationException("wrapper", tooLong)), StringComparison.Ordinal);
        Assert.Contains("/reset", describer.Describe(new AggregateException(new IOException("x"), tooLong)), StringComparison.Ordinal);
        Assert.Contains("took too long", describer.Describe(new TimeoutException()), StringComparison.Ordinal);
    }

    [Fact]
    public void A_quota_refusal_says_whose_limit_and_when_to_ask_again()
    {
        var time = new ManualTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var describer = new LlmFailureDescriber(time);
        LlmProviderException Refusal(QuotaScope scope, QuotaLimit limit, TimeSpan wait) =>
            new(LlmFailureKind.QuotaExceeded, "quota") { QuotaScope = scope, QuotaLimit = limit, RetryAfter = wait };

        Assert.Equal(
            "You have reached your per-minute request limit. You can ask again <t:1800000021:R>.",
            describer.Describe(Refusal(QuotaScope.User, QuotaLimit.RequestsPerMinute, TimeSpan.FromSeconds(20.2))));
        Assert.Equal(
            "This server has reached its daily request limit. You can ask again <t:1800003600:R>.",
            describer.Describe(Refusal(QuotaScope.Guild, QuotaLimit.RequestsPerDay, TimeSpan.FromHours(1))));
        Assert.StartsWith(
            "The bot has reached its per-minute token limit with the model provider.",
            describer.Describe(new InvalidOperationException("wrapped", Refusal(QuotaScope.Provider, QuotaLimit.TokensPerMinute, TimeSpan.FromSeconds(5)))),
            StringComparison.Ordinal);
    }
}
