using Cordial.Bot.Commands;
using Cordial.Bot.Messages;
using Cordial.Bot.Permissions;
using Cordial.Bot.Settings;
using Cordial.Bot.Tests.Responding;
using Microsoft.Extensions.Logging.Abstractions;
using static Cordial.Bot.Tests.Conversations.FakeDiscordHistory;

namespace Cordial.Bot.Tests.Commands;

public sealed class CommandHandlerTests : IAsyncLifetime
{
    private const ulong Admin = 7;
    private readonly ResponderHarness _bot = new();
    private readonly CommandHandler _commands;
    private ulong _nextInteraction = 2_000_000;

    public CommandHandlerTests()
    {
        _bot.UseRules(access: new AccessOptions { AdminIds = [Admin], BlockedUserIds = [66] });
        _commands = new CommandHandler(_bot.Responder, _bot.Store, _bot.Settings, _bot.Models, _bot.Usage, TimeProvider.System, NullLogger<CommandHandler>.Instance);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _bot.DisposeAsync();

    private async Task<RecordingCommandResponse> RunAsync(string name, ulong user = 1, ChannelInfo? channel = null, string? focused = null, params (string Name, object? Value)[] options)
    {
        var response = new RecordingCommandResponse();
        await _commands.HandleAsync(
            new IncomingCommand
            {
                Id = _nextInteraction++,
                Name = name,
                User = new MessageAuthor(user, $"user{user}", false),
                Channel = channel ?? General,
                Options = options.ToDictionary(o => o.Name, o => o.Value),
                FocusedOption = focused,
            },
            response,
            Ct);
        return response;
    }

    [Fact]
    public async Task Help_answers_privately()
    {
        var response = await RunAsync("help");

        Assert.Equal([(CommandHandler.HelpText, true)], response.Replies);
    }

    [Fact]
    public async Task Chat_defers_then_streams_the_answer_and_the_answer_can_be_continued()
    {
        var response = await RunAsync("chat", options: ("prompt", "what is a monad?"));
        await _bot.IdleAsync();

        Assert.False(response.DeferredEphemeral);
        var (answerId, text) = Assert.Single(response.SurfaceMessages);
        Assert.Equal("You said: user1: what is a monad?", text);

        await _bot.SayAsync(General, 1, "simpler please", replyTo: answerId, replyToAuthor: BotId);
        await _bot.IdleAsync();
        Assert.Equal(["user1: what is a monad?", "You said: user1: what is a monad?", "user1: simpler please"], _bot.Chat.Calls[^1].Messages.Skip(1).Select(m => m.Text));
    }

    [Fact]
    public async Task Chats_thinking_message_is_remembered_from_the_deferral_and_filled_with_the_answer()
    {
        var release = new TaskCompletionSource();
        _bot.Chat.Respond = (_, _, ct) => Later(ct);

        async IAsyncEnumerable<Microsoft.Extensions.AI.ChatResponseUpdate> Later([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            await release.Task.WaitAsync(ct);
            yield return new Microsoft.Extensions.AI.ChatResponseUpdate(Microsoft.Extensions.AI.ChatRole.Assistant, "Tuesday.");
        }

        var interaction = _nextInteraction;
        var response = await RunAsync("chat", options: ("prompt", "pick a day"));

        // Before the model said anything: the "thinking…" message continues the prompt, with no text of its own yet.
        var loading = Assert.IsType<ulong>(response.LoadingMessageId);
        var thinking = _bot.Store.Nodes[loading];
        Assert.Equal((interaction, ""), (thinking.ParentId!.Value, thinking.Text));
        release.SetResult();
        await _bot.IdleAsync();

        Assert.Equal(loading, Assert.Single(response.SurfaceMessages).Key);
        Assert.Equal("Tuesday.", _bot.Store.Nodes[loading].Text);
    }

    [Fact]
    public async Task Reset_makes_the_next_direct_message_start_fresh()
    {
        await _bot.SayAsync(Dm, 1, "remember 42");
        await _bot.IdleAsync();

        var response = await RunAsync("reset", channel: Dm);
        await _bot.SayAsync(Dm, 1, "what number?");
        await _bot.IdleAsync();

        Assert.True(response.Replies[0].Ephemeral);
        Assert.Equal(["what number?"], _bot.Chat.Calls[^1].Messages.Skip(1).Select(m => m.Text));
    }

    [Fact]
    public async Task Model_is_for_admins_validates_the_name_and_changes_the_channel_model()
    {
        var refused = await RunAsync("model", options: ("name", "sim-vision"));
        var unknown = await RunAsync("model", Admin, options: ("name", "gpt-9"));
        var set = await RunAsync("model", Admin, options: ("name", "sim-vision"));
        var shown = await RunAsync("model", Admin);

        Assert.Equal(("Only the bot's admins can use /model.", true), refused.Replies[0]);
        Assert.StartsWith("There is no model called 'gpt-9'.", unknown.Replies[0].Content, StringComparison.Ordinal);
        Assert.Equal("sim-vision", (await _bot.Settings.GetAsync(General.Id, Ct)).Model);
        Assert.False(set.Replies[0].Ephemeral);
        Assert.StartsWith("This channel uses **sim-vision**.", shown.Replies[0].Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Model_autocomplete_filters_the_configured_models_for_admins_only()
    {
        var admin = await RunAsync("model", Admin, focused: "name", options: ("name", "VIS"));
        var user = await RunAsync("model", 1, focused: "name", options: ("name", "sim"));

        Assert.Equal(["sim-vision"], admin.Choices);
        Assert.Empty(user.Choices!);
    }

    [Fact]
    public async Task Autocomplete_of_a_retired_command_is_answered_with_no_choices_not_a_message()
    {
        var response = await RunAsync("retired", Admin, focused: "name", options: ("name", "x"));

        Assert.Empty(response.Choices!);
        Assert.Empty(response.Replies);
    }

    [Fact]
    public async Task Persona_is_shown_set_and_cleared()
    {
        await RunAsync("persona", Admin, options: ("text", "You are a patient tutor."));
        var shown = await RunAsync("persona", Admin);
        await RunAsync("persona", Admin, options: ("text", "clear"));

        Assert.Contains("You are a patient tutor.", shown.Replies[0].Content, StringComparison.Ordinal);
        Assert.Equal(ChannelSettings.Empty, await _bot.Settings.GetAsync(General.Id, Ct));
    }

    [Fact]
    public async Task Stats_counts_the_users_answers()
    {
        await _bot.SayAsync(General, 1, "one", mention: true);
        await _bot.IdleAsync();
        await _bot.SayAsync(General, 1, "two", mention: true);
        await _bot.IdleAsync();

        var response = await RunAsync("stats");

        Assert.Contains("Answers today: 2 · in total: 2", response.Replies[0].Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_shows_the_quota_left_for_the_user_in_this_guild()
    {
        var view = new FakeQuotaView(new Cordial.Bot.Usage.QuotaLeft(2, 1234, 50_000, false));
        var commands = new CommandHandler(_bot.Responder, _bot.Store, _bot.Settings, _bot.Models, _bot.Usage, TimeProvider.System, NullLogger<CommandHandler>.Instance, view);
        var response = new RecordingCommandResponse();

        await commands.HandleAsync(new IncomingCommand { Id = 1, Name = "stats", User = new MessageAuthor(5, "user5", false), Channel = General }, response, Ct);

        Assert.Contains("\nRequests left: 2 this minute · 1,234 today\nTokens left today: 50,000", response.Replies[0].Content, StringComparison.Ordinal);
        Assert.Equal((5UL, General.GuildId), view.Asked);
        Assert.Equal("\nQuotas: none apply to you (admin)", CommandHandler.DescribeQuota(new Cordial.Bot.Usage.QuotaLeft(null, null, null, true)));
        Assert.Equal("", CommandHandler.DescribeQuota(Cordial.Bot.Usage.QuotaLeft.Unlimited));
        Assert.Equal("\nRequests left: 0 today", CommandHandler.DescribeQuota(new Cordial.Bot.Usage.QuotaLeft(null, 0, null, false)));
    }

    private sealed class FakeQuotaView(Cordial.Bot.Usage.QuotaLeft left) : Cordial.Bot.Usage.IQuotaView
    {
        public (ulong User, ulong? Guild) Asked { get; private set; }

        public Cordial.Bot.Usage.QuotaLeft GetLeft(ulong userId, ulong? guildId)
        {
            Asked = (userId, guildId);
            return left;
        }
    }

    [Fact]
    public async Task A_blocked_user_is_told_privately_and_nothing_runs()
    {
        var response = await RunAsync("chat", 66, options: ("prompt", "hi"));

        Assert.Equal([("You are not allowed to use this bot.", true)], response.Replies);
        Assert.Empty(_bot.Chat.Calls);
    }
}
