using System.Security.Cryptography;
using Cordial.Emulator.Discord;

namespace Cordial.Interop.Tests;

/// <summary>
/// The other places a bot is talked to: a DM (discord.js learns the channel from MESSAGE_CREATE), a thread created
/// while the bot is connected (THREAD_CREATE), and a message with an attachment the bot downloads from its URL.
/// </summary>
public sealed class DiscordJsChannelTests
{
    private static readonly TimeSpan Step = InteropAssert.Step;

    [Theory]
    [InlineData("dm")]
    [InlineData("thread")]
    public async Task Reply_and_edit_work_in_dms_and_threads(string where)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var node = InteropScript.RequireNodeAndPackages();

        await using var host = await DiscordEmulatorHost.StartAsync(cancellationToken: cancellationToken);
        var emulator = host.Emulator;
        var world = InteropWorld.Create(emulator);

        await using var bot = NodeBot.Start(node, InteropScript.ScriptPath, InteropAssert.Environment(host, world.Bot, "none"));
        InteropAssert.Ready(await bot.WaitForAsync("ready", Step, cancellationToken), host, world, "none", bot);

        var channel = where == "dm"
            ? emulator.OpenDirectMessage(world.Human.Id, world.Bot.User.Id)
            : emulator.CreateThread(world.Channel.Id, "a thread", world.Human.Id);
        var posted = await emulator.PostMessageAsync(channel.Id, world.Human.Id, $"in a {where} {InteropAssert.Marker}", cancellationToken: cancellationToken);

        var done = await bot.WaitForAsync("done", Step, cancellationToken);
        var history = await bot.WaitForAsync("history", Step, cancellationToken);
        Assert.Equal(0, await bot.StopAsync(Step, cancellationToken));
        var diagnostics = bot.Diagnostics();

        var seen = Assert.Single(bot.EventsNamed("message"), e => InteropAssert.Text(e, "id") == posted.Id.ToString());
        Assert.Equal(channel.Id.ToString(), InteropAssert.Text(seen, "channelId"));
        if (where == "dm")
        {
            Assert.Null(InteropAssert.Text(seen, "guildId"));
            Assert.Equal(1, seen.GetProperty("channelType").GetInt32()); // DM
        }
        else
        {
            // Known from THREAD_CREATE: a full thread channel, not a partial made up from MESSAGE_CREATE.
            Assert.Equal(world.Guild.Id.ToString(), InteropAssert.Text(seen, "guildId"));
            Assert.False(seen.GetProperty("channelPartial").GetBoolean(), "discord.js knew the thread only as a partial channel (no THREAD_CREATE?)." + diagnostics);
            Assert.True(seen.GetProperty("isThread").GetBoolean(), "discord.js did not see a thread." + diagnostics);
            Assert.Equal(11, seen.GetProperty("channelType").GetInt32()); // PUBLIC_THREAD
            Assert.Equal(world.Channel.Id.ToString(), InteropAssert.Text(seen, "parentId"));
            Assert.Equal("a thread", InteropAssert.Text(seen, "channelName"));
        }

        var messages = emulator.GetMessages(channel.Id);
        Assert.Equal(2, messages.Count);
        var reply = messages[1];
        Assert.Equal(InteropAssert.Text(done, "replyId"), reply.Id.ToString());
        Assert.Equal(world.Bot.User.Id, reply.AuthorId);
        Assert.Equal(posted.Id, reply.ReplyToMessageId);
        Assert.Equal([InteropAssert.ReplyText, InteropAssert.EditText], reply.Revisions.Select(r => r.Content));
        Assert.Empty(emulator.GetMessages(world.Channel.Id));
        Assert.Equal(
            [reply.Id.ToString(), posted.Id.ToString()],
            history.GetProperty("messages").EnumerateArray().Select(m => InteropAssert.Text(m, "id")));

        var stats = emulator.GetStats(world.Bot.User.Id);
        Assert.Equal(0, stats.TooManyRequests);
        Assert.Equal(0, stats.InvalidRequests);
    }

    [Fact]
    public async Task An_attachment_is_described_in_message_create_and_downloadable_from_its_url()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var node = InteropScript.RequireNodeAndPackages();

        await using var host = await DiscordEmulatorHost.StartAsync(cancellationToken: cancellationToken);
        var emulator = host.Emulator;
        var world = InteropWorld.Create(emulator);

        await using var bot = NodeBot.Start(node, InteropScript.ScriptPath, InteropAssert.Environment(host, world.Bot, "none"));
        InteropAssert.Ready(await bot.WaitForAsync("ready", Step, cancellationToken), host, world, "none", bot);

        var data = new byte[3000];
        new Random(42).NextBytes(data);
        var options = new PostMessageOptions();
        options.Attachments.Add(new EmulatedAttachmentInput("picture.png", "image/png", data));
        var posted = await emulator.PostMessageAsync(world.Channel.Id, world.Human.Id, $"look {InteropAssert.Marker}", options, cancellationToken);

        var fetched = await bot.WaitForAsync("attachmentFetched", Step, cancellationToken);
        await bot.WaitForAsync("done", Step, cancellationToken);
        Assert.Equal(0, await bot.StopAsync(Step, cancellationToken));

        var recorded = Assert.Single(posted.Attachments);
        var seen = Assert.Single(bot.EventsNamed("message"), e => InteropAssert.Text(e, "id") == posted.Id.ToString());
        var described = Assert.Single(seen.GetProperty("attachments").EnumerateArray().ToList());
        Assert.Equal(recorded.Id.ToString(), InteropAssert.Text(described, "id"));
        Assert.Equal("picture.png", InteropAssert.Text(described, "name"));
        Assert.Equal(data.Length, described.GetProperty("size").GetInt32());
        Assert.Equal("image/png", InteropAssert.Text(described, "contentType"));

        Assert.Equal(recorded.Id.ToString(), InteropAssert.Text(fetched, "id"));
        Assert.Equal(200, fetched.GetProperty("status").GetInt32());
        Assert.StartsWith("image/png", InteropAssert.Text(fetched, "contentType"), StringComparison.Ordinal);
        Assert.Equal(data.Length, fetched.GetProperty("length").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), InteropAssert.Text(fetched, "sha256"));
    }
}
