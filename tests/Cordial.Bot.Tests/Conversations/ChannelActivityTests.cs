using Cordial.Bot.Conversations;
using Cordial.Bot.Messages;

namespace Cordial.Bot.Tests.Conversations;

public sealed class ChannelActivityTests
{
    private static IncomingMessage Message(ulong id, ulong author, ulong channel = 10) => new()
    {
        Id = id,
        ChannelId = channel,
        Channel = new ChannelInfo(channel, ChannelKind.GuildText, GuildId: 1),
        Author = new MessageAuthor(author, $"user{author}", false),
        Timestamp = DateTimeOffset.UnixEpoch,
        Content = "x",
    };

    [Fact]
    public void A_message_seen_after_a_newer_one_still_finds_its_previous_without_asking_discord()
    {
        var activity = new ChannelActivity();
        activity.Observe(Message(100, author: 1));
        activity.Observe(Message(120, author: 999)); // the bot's reply, seen first
        activity.Observe(Message(110, author: 2));   // a user's message written before it, seen late

        Assert.True(activity.TryGetBefore(10, 110, out var previous));
        Assert.Equal(new RecentMessage(100, 1), previous);
        Assert.True(activity.TryGetBefore(10, 121, out previous));
        Assert.Equal(new RecentMessage(120, 999), previous);
        Assert.False(activity.TryGetBefore(10, 100, out _));
        Assert.False(activity.TryGetBefore(11, 500, out _));
    }

    [Fact]
    public void Each_channel_keeps_its_newest_messages_and_the_oldest_leave_first()
    {
        var activity = new ChannelActivity();
        for (var id = 1UL; id <= ChannelActivity.RecentPerChannel + 5; id++)
        {
            activity.Observe(Message(id * 10, author: id));
        }

        activity.Observe(Message(5, author: 42)); // older than everything kept: ignored

        var newest = (ulong)(ChannelActivity.RecentPerChannel + 5) * 10;
        var oldestKept = newest - ((ulong)ChannelActivity.RecentPerChannel - 1) * 10;
        Assert.True(activity.TryGetBefore(10, oldestKept + 1, out var previous));
        Assert.Equal(oldestKept, previous.Id);
        Assert.False(activity.TryGetBefore(10, oldestKept, out _));
        Assert.True(activity.TryGetBefore(10, newest + 1, out previous));
        Assert.Equal(newest, previous.Id);
    }

    [Fact]
    public void A_deleted_message_is_forgotten_and_repeats_change_nothing()
    {
        var activity = new ChannelActivity();
        activity.Observe(Message(100, author: 1));
        activity.Observe(Message(200, author: 2));
        activity.Observe(Message(200, author: 2));

        activity.Forget(10, 200);

        Assert.True(activity.TryGetBefore(10, 300, out var previous));
        Assert.Equal(100UL, previous.Id);
    }

    [Fact]
    public async Task Many_threads_observing_one_channel_keep_it_consistent()
    {
        var activity = new ChannelActivity();
        await Parallel.ForAsync(1, 2001, TestContext.Current.CancellationToken, (i, _) =>
        {
            activity.Observe(Message((ulong)i, author: (ulong)i));
            return ValueTask.CompletedTask;
        });

        Assert.True(activity.TryGetBefore(10, 2001, out var previous));
        Assert.Equal(2000UL, previous.Id);
        Assert.Equal(2000UL, previous.AuthorId);
    }
}
