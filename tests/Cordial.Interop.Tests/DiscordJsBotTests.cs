using System.Text.Json;
using Cordial.Emulator.Discord;

namespace Cordial.Interop.Tests;

/// <summary>
/// An unmodified discord.js 14.28.1 bot against the Discord emulator. discord.js is the reference here: when the
/// two disagree, the emulator is wrong. Each test asserts from the emulator's own record exactly what discord.js did.
/// </summary>
public sealed class DiscordJsBotTests
{
    private const string Marker = InteropAssert.Marker;
    private const string ReplyText = InteropAssert.ReplyText;
    private const string EditText = InteropAssert.EditText;
    private static readonly TimeSpan Step = InteropAssert.Step;

    [Theory]
    [InlineData("none")]
    [InlineData("zlib-stream")]
    public async Task Reply_and_edit_are_recorded_exactly_as_discordjs_sent_them(string compression)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var node = InteropScript.RequireNodeAndPackages();
        if (compression == "zlib-stream")
        {
            InteropScript.RequireZlibSync();
        }

        await using var host = await DiscordEmulatorHost.StartAsync(cancellationToken: cancellationToken);
        var emulator = host.Emulator;
        await using var log = await EmulatorEventLog.StartAsync(emulator, Step, cancellationToken);
        var world = InteropWorld.Create(emulator);

        await using var bot = NodeBot.Start(node, InteropScript.ScriptPath, InteropAssert.Environment(host, world.Bot, compression));
        var ready = await bot.WaitForAsync("ready", Step, cancellationToken);
        InteropAssert.Ready(ready, host, world, compression, bot);

        var posted = await emulator.PostMessageAsync(
            world.Channel.Id, world.Human.Id, $"<@{world.Bot.User.Id}> hello {Marker}", cancellationToken: cancellationToken);

        var replied = await bot.WaitForAsync("replied", Step, cancellationToken);
        var edited = await bot.WaitForAsync("edited", Step, cancellationToken);
        var history = await bot.WaitForAsync("history", Step, cancellationToken);
        var done = await bot.WaitForAsync("done", Step, cancellationToken);
        Assert.Equal(0, await bot.StopAsync(Step, cancellationToken));
        var diagnostics = bot.Diagnostics();
        var seen = Assert.Single(bot.EventsNamed("message"), e => InteropAssert.Text(e, "id") == posted.Id.ToString());

        // What discord.js saw of the posted message (MESSAGE_CREATE, resolved against the GUILD_CREATE cache).
        Assert.Equal(posted.Id.ToString(), InteropAssert.Text(seen, "id"));
        Assert.Equal(world.Channel.Id.ToString(), InteropAssert.Text(seen, "channelId"));
        Assert.Equal("general", InteropAssert.Text(seen, "channelName"));
        Assert.False(seen.GetProperty("channelPartial").GetBoolean(), "discord.js knew #general only as a partial channel." + diagnostics);
        Assert.Equal(0, seen.GetProperty("channelType").GetInt32()); // GUILD_TEXT
        Assert.Equal(world.Guild.Id.ToString(), InteropAssert.Text(seen, "guildId"));
        Assert.Equal(world.Human.Id.ToString(), InteropAssert.Text(seen, "authorId"));
        Assert.False(seen.GetProperty("authorBot").GetBoolean());
        Assert.Equal(posted.Content, InteropAssert.Text(seen, "content"));
        Assert.True(seen.GetProperty("mentionsBot").GetBoolean(), "discord.js did not see the bot in message.mentions." + diagnostics);

        // The emulator's record: exactly the posted message and one reply, created then edited once.
        var messages = emulator.GetMessages(world.Channel.Id);
        Assert.Equal(2, messages.Count);
        Assert.Equal(posted.Id, messages[0].Id);
        var reply = messages[1];
        Assert.Equal(InteropAssert.Text(done, "replyId"), reply.Id.ToString());
        Assert.Equal(InteropAssert.Text(replied, "id"), reply.Id.ToString());
        Assert.Equal(world.Bot.User.Id, reply.AuthorId);
        Assert.Equal(posted.Id, reply.ReplyToMessageId);
        Assert.False(reply.Deleted);
        Assert.Equal(2, reply.Revisions.Count);
        Assert.Equal(ReplyText, reply.Revisions[0].Content);
        Assert.Equal(EditText, reply.Revisions[^1].Content);
        Assert.Equal(EditText, reply.Content);
        Assert.NotNull(reply.EditedAt);
        Assert.DoesNotContain(InteropAssert.EmbedTitle, reply.Revisions[0].EmbedsJson, StringComparison.Ordinal);
        Assert.Equal([InteropAssert.EmbedTitle], EmbedTitles(reply.Revisions[^1].EmbedsJson));
        Assert.Equal([InteropAssert.EmbedTitle], EmbedTitles(reply.Embeds));
        InteropAssert.NoMentionsAllowed(reply.AllowedMentions, expectRepliedUser: true);

        // What discord.js made of the REST responses.
        Assert.Equal(posted.Id.ToString(), InteropAssert.Text(replied, "referenceMessageId"));
        Assert.Equal(ReplyText, InteropAssert.Text(replied, "content"));
        Assert.Equal(world.Bot.User.Id.ToString(), InteropAssert.Text(replied, "authorId"));
        Assert.Equal(19, replied.GetProperty("type").GetInt32()); // MessageType.Reply
        Assert.Equal(EditText, InteropAssert.Text(edited, "content"));
        Assert.Equal([InteropAssert.EmbedTitle], edited.GetProperty("embedTitles").EnumerateArray().Select(t => t.GetString()));
        Assert.True(edited.GetProperty("edited").GetBoolean(), "discord.js saw no edited_timestamp on the PATCH response." + diagnostics);

        // GET /channels/{id}/messages?limit=N: newest first, the reply with its edited content.
        var fetched = history.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal([reply.Id.ToString(), posted.Id.ToString()], fetched.Select(m => InteropAssert.Text(m, "id")));
        Assert.Equal(EditText, InteropAssert.Text(fetched[0], "content"));
        Assert.Equal(posted.Id.ToString(), InteropAssert.Text(fetched[0], "referenceMessageId"));
        Assert.Equal(posted.Content, InteropAssert.Text(fetched[1], "content"));

        // Nothing else happened anywhere in the emulator, and nothing was rate limited.
        var events = log.Snapshot();
        var botCreated = events.Where(e => e.Type == EmulatorEventTypes.MessageCreated && e.Message?.AuthorId == world.Bot.User.Id).ToList();
        Assert.Equal([reply.Id], botCreated.Select(e => e.Message!.Id));
        Assert.Equal([reply.Id], events.Where(e => e.Type == EmulatorEventTypes.MessageUpdated).Select(e => e.MessageId ?? e.Message?.Id));
        Assert.DoesNotContain(events, e => e.Type == EmulatorEventTypes.MessageDeleted);
        Assert.Single(events, e => e.Type == EmulatorEventTypes.Typing && e.ChannelId == world.Channel.Id && e.UserId == world.Bot.User.Id);
        Assert.Empty(bot.EventsNamed("rateLimited"));

        var stats = emulator.GetStats(world.Bot.User.Id);
        Assert.Equal(0, stats.TooManyRequests);
        Assert.Equal(0, stats.GlobalRateLimitHits);
        Assert.Equal(0, stats.InvalidRequests);
        Assert.Equal(0, stats.GatewaySendsRejected);
        Assert.Equal(1, stats.GatewayConnections);
        Assert.Equal(1, stats.Identifies);
        Assert.Equal(0, stats.Resumes);
    }

    private static List<string?> EmbedTitles(string embedsJson)
    {
        using var document = JsonDocument.Parse(embedsJson);
        return [.. document.RootElement.EnumerateArray().Select(e => e.TryGetProperty("title", out var title) ? title.GetString() : null)];
    }
}
