using System.Text.Json;
using Cordial.Emulator.Discord;

namespace Cordial.Interop.Tests;

/// <summary>
/// A discord.js 14.28.1 bot registers a global slash command (PUT /applications/{id}/commands), receives it as
/// INTERACTION_CREATE and answers it the two ways bots do: interaction.reply, or deferReply then editReply; then
/// edits the original response and sends a follow-up. The emulator's record must hold exactly that.
/// </summary>
public sealed class DiscordJsSlashCommandTests
{
    private static readonly TimeSpan Step = InteropAssert.Step;

    [Theory]
    [InlineData("reply")]
    [InlineData("defer")]
    public async Task Slash_command_answers_are_recorded_exactly_as_discordjs_sent_them(string mode)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var node = InteropScript.RequireNodeAndPackages();

        await using var host = await DiscordEmulatorHost.StartAsync(cancellationToken: cancellationToken);
        var emulator = host.Emulator;
        await using var log = await EmulatorEventLog.StartAsync(emulator, Step, cancellationToken);
        var world = InteropWorld.Create(emulator);

        await using var bot = NodeBot.Start(node, InteropScript.ScriptPath, InteropAssert.Environment(host, world.Bot, "none", mode));
        var ready = await bot.WaitForAsync("ready", Step, cancellationToken);
        InteropAssert.Ready(ready, host, world, "none", bot);

        // The bulk overwrite discord.js sent is what the emulator now serves.
        var commandsEvent = await bot.WaitForAsync("commands", Step, cancellationToken);
        var command = Assert.Single(emulator.GetCommands(world.Bot.ApplicationId));
        Assert.Equal(InteropAssert.CommandName, command.Name);
        Assert.Null(command.GuildId);
        Assert.Equal(1, command.Type); // CHAT_INPUT
        Assert.Equal("Cordial interop check", command.Description);
        var registered = Assert.Single(commandsEvent.GetProperty("commands").EnumerateArray().ToList());
        Assert.Equal(command.Id.ToString(), InteropAssert.Text(registered, "id"));
        using (var options = JsonDocument.Parse(command.OptionsJson))
        {
            var option = Assert.Single(options.RootElement.EnumerateArray().ToList());
            Assert.Equal("text", option.GetProperty("name").GetString());
            Assert.Equal(3, option.GetProperty("type").GetInt32()); // STRING
        }

        var interaction = await emulator.RunSlashCommandAsync(
            world.Channel.Id,
            world.Human.Id,
            InteropAssert.CommandName,
            new Dictionary<string, object?> { ["text"] = "hello from alice" },
            cancellationToken);

        var seen = await bot.WaitForAsync("interaction", Step, cancellationToken);
        await bot.WaitForAsync("interactionReplied", Step, cancellationToken);
        var edited = await bot.WaitForAsync("interactionEdited", Step, cancellationToken);
        var followUp = await bot.WaitForAsync("interactionFollowUp", Step, cancellationToken);
        await bot.WaitForAsync("interactionDone", Step, cancellationToken);
        Assert.Equal(0, await bot.StopAsync(Step, cancellationToken));
        var diagnostics = bot.Diagnostics();

        // What discord.js made of INTERACTION_CREATE.
        Assert.True(seen.GetProperty("handled").GetBoolean(), "discord.js did not see a chat input command." + diagnostics);
        Assert.Equal(interaction.Id.ToString(), InteropAssert.Text(seen, "id"));
        Assert.Equal(InteropAssert.CommandName, InteropAssert.Text(seen, "commandName"));
        Assert.Equal(command.Id.ToString(), InteropAssert.Text(seen, "commandId"));
        Assert.Equal(world.Human.Id.ToString(), InteropAssert.Text(seen, "userId"));
        Assert.Equal(world.Channel.Id.ToString(), InteropAssert.Text(seen, "channelId"));
        Assert.Equal(world.Guild.Id.ToString(), InteropAssert.Text(seen, "guildId"));
        Assert.Equal("hello from alice", InteropAssert.Text(seen, "text"));

        // The emulator's record of the answers, in order.
        var deferred = mode == "defer";
        Assert.Equal(deferred ? 5 : 4, interaction.CallbackType);
        Assert.Equal(deferred ? null : InteropAssert.CommandReplyText, NullIfEmpty(interaction.CallbackContent));
        EmulatedInteractionResponseKind[] expectedKinds = deferred
            ? [EmulatedInteractionResponseKind.Callback, EmulatedInteractionResponseKind.EditOriginal, EmulatedInteractionResponseKind.EditOriginal, EmulatedInteractionResponseKind.FollowUp]
            : [EmulatedInteractionResponseKind.Callback, EmulatedInteractionResponseKind.EditOriginal, EmulatedInteractionResponseKind.FollowUp];
        Assert.Equal(expectedKinds, interaction.Responses.Select(r => r.Kind));
        string[] expectedEdits = deferred
            ? [InteropAssert.CommandReplyText, InteropAssert.CommandEditText]
            : [InteropAssert.CommandEditText];
        Assert.Equal(expectedEdits, interaction.OriginalEdits.Select(r => r.Content));
        var recordedFollowUp = Assert.Single(interaction.FollowUps);
        Assert.Equal(InteropAssert.CommandFollowUpText, recordedFollowUp.Content);
        Assert.Equal(InteropAssert.Text(followUp, "messageId"), recordedFollowUp.MessageId?.ToString());
        Assert.Equal(InteropAssert.Text(edited, "messageId"), interaction.OriginalMessageId?.ToString());
        Assert.Equal(InteropAssert.CommandEditText, InteropAssert.Text(edited, "content"));
        Assert.Equal(InteropAssert.CommandFollowUpText, InteropAssert.Text(followUp, "content"));

        // The channel holds exactly the original response (edited) and the follow-up, both by the bot.
        var messages = emulator.GetMessages(world.Channel.Id);
        Assert.Equal([interaction.OriginalMessageId!.Value, recordedFollowUp.MessageId!.Value], messages.Select(m => m.Id));
        var original = messages[0];
        Assert.Equal(world.Bot.User.Id, original.AuthorId);
        Assert.Equal(InteropAssert.CommandEditText, original.Content);
        Assert.Equal(InteropAssert.CommandEditText, original.Revisions[^1].Content);
        Assert.Contains(InteropAssert.CommandReplyText, original.Revisions.Select(r => r.Content));
        Assert.Equal(0, original.Flags & 128); // LOADING is cleared once the deferred response is edited
        Assert.Equal(interaction.Id, original.InteractionId);
        Assert.Equal(20, original.Type); // CHAT_INPUT_COMMAND
        Assert.False(original.Deleted);
        var follow = messages[1];
        Assert.Equal(world.Bot.User.Id, follow.AuthorId);
        Assert.Equal(InteropAssert.CommandFollowUpText, follow.Content);
        Assert.Single(follow.Revisions);

        // Nothing else was posted anywhere, and nothing was rate limited.
        var events = log.Snapshot();
        Assert.Equal(
            messages.Select(m => m.Id),
            events.Where(e => e.Type == EmulatorEventTypes.MessageCreated && e.Message?.AuthorId == world.Bot.User.Id).Select(e => e.Message!.Id));
        Assert.DoesNotContain(events, e => e.Type == EmulatorEventTypes.MessageDeleted);
        Assert.Empty(bot.EventsNamed("rateLimited"));
        var stats = emulator.GetStats(world.Bot.User.Id);
        Assert.Equal(0, stats.TooManyRequests);
        Assert.Equal(0, stats.GlobalRateLimitHits);
        Assert.Equal(0, stats.InvalidRequests);
        Assert.Equal(1, stats.Identifies);
        Assert.Equal(0, stats.Resumes);
    }

    [Fact]
    public async Task Autocomplete_is_answered_by_discordjs_respond_and_recorded_as_choices()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var node = InteropScript.RequireNodeAndPackages();

        await using var host = await DiscordEmulatorHost.StartAsync(cancellationToken: cancellationToken);
        var emulator = host.Emulator;
        var world = InteropWorld.Create(emulator);
        await using var bot = NodeBot.Start(node, InteropScript.ScriptPath, InteropAssert.Environment(host, world.Bot, "none", "reply"));
        await bot.WaitForAsync("ready", Step, cancellationToken);
        await bot.WaitForAsync("commands", Step, cancellationToken);

        var interaction = await emulator.RunAutocompleteAsync(world.Channel.Id, world.Human.Id, InteropAssert.CommandName, "text", "hel", cancellationToken: cancellationToken);
        var seen = await bot.WaitForAsync("autocompleted", Step, cancellationToken);
        await interaction.WaitForCallbackAsync(cancellationToken).WaitAsync(Step, cancellationToken);
        Assert.Equal(0, await bot.StopAsync(Step, cancellationToken));

        // discord.js saw an autocomplete interaction with the focused option and its partial value ...
        Assert.Equal(interaction.Id.ToString(), InteropAssert.Text(seen, "id"));
        Assert.Equal("text", InteropAssert.Text(seen, "focused"));
        Assert.Equal("hel", InteropAssert.Text(seen, "value"));
        // ... and its interaction.respond() is what the emulator recorded: callback type 8, no message.
        Assert.Equal(8, interaction.CallbackType);
        Assert.Equal([new EmulatedAutocompleteChoice("typed: hel", "hel"), new EmulatedAutocompleteChoice("fixed", "fixed")], interaction.AutocompleteChoices);
        Assert.Empty(emulator.GetMessages(world.Channel.Id));
        Assert.Equal(0, emulator.GetStats(world.Bot.User.Id).InvalidRequests);
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
