using Cordial.Bot.Commands;
using Cordial.Emulator.Discord;

namespace Cordial.Integration.Tests;

/// <summary>Every slash command, run by the emulator as a user would (INTERACTION_CREATE over the gateway).</summary>
public sealed class CommandTests
{
    private const int Ephemeral = 1 << 6;

    private static Dictionary<string, object?> Options(string name, object? value) => new(StringComparer.Ordinal) { [name] = value };

    private static async Task<EmulatedInteraction> RunAsync(BotWorld world, ulong channelId, EmulatedUser user, string command, Dictionary<string, object?>? options = null)
    {
        var interaction = await world.Discord.RunSlashCommandAsync(channelId, user.Id, command, options, BotWorld.Token);
        await interaction.WaitForCallbackAsync(BotWorld.Token).WaitAsync(TimeSpan.FromSeconds(30), BotWorld.Token);
        return interaction;
    }

    private static BotWorld WithAdmin(BotWorld world) => world.Set("Bot:Access:AdminIds:0", BotWorld.Id(world.Alice.Id));

    [Fact]
    public async Task Commands_are_registered_globally_without_a_development_guild()
    {
        await using var world = await BotWorld.CreateAsync();
        await world.StartBotAsync();

        var registered = world.Discord.GetCommands(world.Bot.ApplicationId);
        Assert.Equal(CommandDefinition.All.Select(c => c.Name).Order(StringComparer.Ordinal), registered.Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Empty(world.Discord.GetCommands(world.Bot.ApplicationId, world.Guild.Id));
    }

    [Fact]
    public async Task Chat_defers_then_streams_the_answer_into_the_original_response()
    {
        await using var world = await BotWorld.CreateAsync();
        await world.StartBotAsync();
        world.Llm.Script("slash question", "Slash answer.");

        var interaction = await RunAsync(world, world.General.Id, world.Alice, "chat", Options("prompt", "slash question"));

        Assert.Equal(5, interaction.CallbackType);
        await Eventually.UntilAsync(() => interaction.OriginalEdits is { Count: > 0 } edits && edits[^1].Content == "Slash answer.", "the answer in @original");
        Assert.Contains("slash question", world.RequestContaining("slash question")!.LastUserText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_time_to_acknowledge_is_in_stats_and_an_acknowledgement_discord_expired_is_logged_with_it()
    {
        using var logs = new CapturedLogs();
        await using var world = await BotWorld.CreateAsync();
        var bot = await world.StartBotAsync(logs);
        world.Llm.Script("timed question", "Timed answer.");

        await RunAsync(world, world.General.Id, world.Alice, "chat", Options("prompt", "timed question"));
        using var http = new HttpClient { BaseAddress = bot.Address };
        using (var stats = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri("/stats", UriKind.Relative), BotWorld.Token)))
        {
            var ack = stats.RootElement.GetProperty("overhead").GetProperty("interactionToAck");
            Assert.Equal(1, ack.GetProperty("count").GetInt64());
            Assert.True(ack.GetProperty("p50Us").GetDouble() > 0);
        }

        // Discord answers so slowly that the acknowledgement arrives after its 3 s: the operator learns how late it was.
        world.Discord.Faults.SetResponseDelay(TimeSpan.FromSeconds(3.2));
        await world.Discord.RunSlashCommandAsync(world.General.Id, world.Alice.Id, "chat", Options("prompt", "late question"), BotWorld.Token);
        await Eventually.UntilAsync(
            () => logs.Entries.Any(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Text.Contains("Discord had already expired it", StringComparison.Ordinal)),
            "the expired acknowledgement to be logged");
        world.Discord.Faults.SetResponseDelay(TimeSpan.Zero);
    }

    [Fact]
    public async Task A_chat_answer_longer_than_one_message_streams_its_follow_ups_through_the_interaction_webhook()
    {
        await using var world = await BotWorld.CreateAsync(behavior: new Cordial.Emulator.Llm.LlmBehavior { TimeToFirstToken = TimeSpan.FromMilliseconds(20), TokensPerSecond = 30 });
        await world.StartBotAsync();
        // About 5,000 characters streamed over 20 s: the webhook bucket (5 edits per 5 s) lets the first 2,000 be
        // finalised after about two windows, so the follow-ups are created while the model still writes (with seconds to
        // spare on a loaded machine) and are then edited.
        var answer = string.Join(" ", Enumerable.Range(1, 600).Select(i => $"word{i}")) + ".";
        world.Llm.Script("long slash question", answer);

        var interaction = await RunAsync(world, world.General.Id, world.Alice, "chat", Options("prompt", "long slash question"));
        await world.WaitForJoinedAnswerAsync(world.General.Id, answer, TimeSpan.FromSeconds(90));

        var followUpIds = interaction.FollowUps.Select(f => f.MessageId!.Value).ToList();
        Assert.NotEmpty(followUpIds);
        var followUps = followUpIds.Select(id => world.Discord.GetMessage(world.General.Id, id)!).ToList();
        var webhookEdits = interaction.Responses.Where(r => r.Kind == EmulatedInteractionResponseKind.EditFollowUp).ToList();
        Assert.True(followUps.Sum(f => f.EditCount) > 0, "the follow-ups were sent whole; the test needs one edited while streaming: "
            + string.Join(" | ", interaction.Responses.Select(r => $"{r.Kind} {r.MessageId} {r.Content?.Length} {r.At:ss.fff}")));
        // Every edit of a follow-up went through PATCH /webhooks/{app}/{token}/messages/{id} (recorded as EditFollowUp);
        // an edit through the channel's message route would be a revision with no such record.
        Assert.Equal(followUps.Sum(f => f.EditCount), webhookEdits.Count);
        Assert.All(webhookEdits, e => Assert.Contains(e.MessageId!.Value, followUpIds));
        Assert.All(followUps, f => Assert.Equal(f.Content, webhookEdits.LastOrDefault(e => e.MessageId == f.Id)?.Content ?? f.Revisions[0].Content));
        Assert.Equal(0, world.Discord.GetStats(world.Bot.User.Id).TooManyRequests);
    }

    [Fact]
    public async Task Reset_makes_the_next_direct_message_start_fresh()
    {
        await using var world = await BotWorld.CreateAsync();
        var dm = world.Discord.OpenDirectMessage(world.Alice.Id, world.Bot.User.Id);
        await world.StartBotAsync();
        world.Llm.Script("my name is Zed", "Hello Zed.");
        world.Llm.Script("who am I", "I do not know yet.");
        world.Llm.Script("still there", "Yes.");

        await world.SayAsync(dm, world.Alice, "my name is Zed");
        await world.WaitForAnswerAsync(dm.Id, "Hello Zed.");
        await world.SayAsync(dm, world.Alice, "still there?");
        await world.WaitForAnswerAsync(dm.Id, "Yes.");
        Assert.Contains("my name is Zed", world.RequestContaining("still there")!.RawBody, StringComparison.Ordinal); // DMs continue

        var reset = await RunAsync(world, dm.Id, world.Alice, "reset");
        Assert.Equal(4, reset.CallbackType);
        Assert.Equal(Ephemeral, reset.Callback!.Flags & Ephemeral);

        await world.SayAsync(dm, world.Alice, "who am I?");
        await world.WaitForAnswerAsync(dm.Id, "I do not know yet.");
        Assert.DoesNotContain("my name is Zed", world.RequestContaining("who am I")!.RawBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Model_shows_and_an_admin_sets_the_channel_model_which_then_answers()
    {
        await using var world = WithAdmin(await BotWorld.CreateAsync());
        await world.StartBotAsync();
        world.Llm.Script("which model", "This one.");

        var show = await RunAsync(world, world.General.Id, world.Bob, "model");
        Assert.Equal(Ephemeral, show.Callback!.Flags & Ephemeral);
        Assert.Contains("Only the bot's admins", show.CallbackContent, StringComparison.Ordinal);

        var current = await RunAsync(world, world.General.Id, world.Alice, "model");
        Assert.Contains("**small**", current.CallbackContent, StringComparison.Ordinal);

        var unknown = await RunAsync(world, world.General.Id, world.Alice, "model", Options("name", "gigantic"));
        Assert.Contains("no model called 'gigantic'", unknown.CallbackContent, StringComparison.Ordinal);

        var set = await RunAsync(world, world.General.Id, world.Alice, "model", Options("name", "large"));
        Assert.Contains("**large**", set.CallbackContent, StringComparison.Ordinal);
        Assert.Equal(0, set.Callback!.Flags & Ephemeral);

        await world.SayAsync(world.General, world.Bob, $"{world.Mention} which model?");
        await world.WaitForAnswerAsync(world.General.Id, "This one.");
        Assert.Equal("sim-large", world.RequestContaining("which model")!.Model);
    }

    [Fact]
    public async Task Model_autocomplete_offers_the_matching_configured_models_to_admins_and_nothing_to_others()
    {
        await using var world = WithAdmin(await BotWorld.CreateAsync());
        world.Set("Llm:Models:simulated:Provider", "emulator").Set("Llm:Models:simulated:ModelId", "sim-small")
            .Set("Llm:Models:simulated-vision:Provider", "emulator").Set("Llm:Models:simulated-vision:ModelId", "sim-vision");
        await world.StartBotAsync();

        var admin = await world.Discord.RunAutocompleteAsync(world.General.Id, world.Alice.Id, "model", "name", "sim", cancellationToken: BotWorld.Token);
        await admin.WaitForCallbackAsync(BotWorld.Token).WaitAsync(TimeSpan.FromSeconds(30), BotWorld.Token);
        Assert.Equal(8, admin.CallbackType);
        Assert.Equal(
            ["simulated", "simulated-vision"],
            admin.AutocompleteChoices!.Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.All(admin.AutocompleteChoices!, c => Assert.Equal(c.Name, c.Value));

        var everything = await world.Discord.RunAutocompleteAsync(world.General.Id, world.Alice.Id, "model", "name", "", cancellationToken: BotWorld.Token);
        await everything.WaitForCallbackAsync(BotWorld.Token).WaitAsync(TimeSpan.FromSeconds(30), BotWorld.Token);
        Assert.Equal(
            ["large", "simulated", "simulated-vision", "small"],
            everything.AutocompleteChoices!.Select(c => c.Name).Order(StringComparer.Ordinal));

        var other = await world.Discord.RunAutocompleteAsync(world.General.Id, world.Bob.Id, "model", "name", "sim", cancellationToken: BotWorld.Token);
        await other.WaitForCallbackAsync(BotWorld.Token).WaitAsync(TimeSpan.FromSeconds(30), BotWorld.Token);
        Assert.Equal(8, other.CallbackType);
        Assert.Empty(other.AutocompleteChoices!);
        Assert.Empty(world.BotMessages(world.General.Id)); // suggestions are never messages
    }

    [Fact]
    public async Task Persona_set_by_an_admin_goes_into_the_system_prompt()
    {
        await using var world = WithAdmin(await BotWorld.CreateAsync());
        await world.StartBotAsync();
        world.Llm.Script("ahoy", "Arr.");

        var set = await RunAsync(world, world.General.Id, world.Alice, "persona", Options("text", "You are a pirate named Quillbeard."));
        Assert.Equal("Persona set for this channel.", set.CallbackContent);
        var show = await RunAsync(world, world.General.Id, world.Alice, "persona");
        Assert.Contains("Quillbeard", show.CallbackContent, StringComparison.Ordinal);

        await world.SayAsync(world.General, world.Bob, $"{world.Mention} ahoy");
        await world.WaitForAnswerAsync(world.General.Id, "Arr.");
        Assert.Contains("You are a pirate named Quillbeard.", world.RequestContaining("ahoy")!.RawBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_counts_the_users_answers_and_help_explains_the_bot()
    {
        await using var world = await BotWorld.CreateAsync();
        await world.StartBotAsync();
        world.Llm.Script("count me", "Counted.");

        await world.SayAsync(world.General, world.Bob, $"{world.Mention} count me");
        await world.WaitForAnswerAsync(world.General.Id, "Counted.");
        var stats = await Eventually.UntilAsync(
            () => RunAsync(world, world.General.Id, world.Bob, "stats").Result,
            i => i.CallbackContent?.Contains("Answers today: 1 ", StringComparison.Ordinal) == true,
            "/stats to count the answer");
        Assert.Equal(Ephemeral, stats.Callback!.Flags & Ephemeral);

        var help = await RunAsync(world, world.General.Id, world.Bob, "help");
        Assert.Equal(CommandHandler.HelpText, help.CallbackContent);
    }

    [Fact]
    public async Task An_unknown_command_gets_a_private_answer_and_the_bot_keeps_working()
    {
        await using var world = await BotWorld.CreateAsync();
        await world.StartBotAsync();
        world.Llm.Script("still answering", "Yes.");

        var unknown = await RunAsync(world, world.General.Id, world.Alice, "retired-command");
        Assert.Equal(4, unknown.CallbackType);
        Assert.Equal(Ephemeral, unknown.Callback!.Flags & Ephemeral);
        Assert.Equal("This command is no longer available.", unknown.CallbackContent);

        await world.SayAsync(world.General, world.Alice, $"{world.Mention} still answering?");
        await world.WaitForAnswerAsync(world.General.Id, "Yes.");
    }
}
