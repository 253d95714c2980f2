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
        Assert.Equal(oldestKept, previous?.Id);
        Assert.False(activity.TryGetBefore(10, oldestKept, out _));
        Assert.True(activity.TryGetBefore(10, newest + 1, out previous));
        Assert.Equal(newest, previous?.Id);
    }

    [Fact]
    public void A_channel_seeded_empty_knows_there_is_nothing_before_its_first_message()
    {
        var activity = new ChannelActivity();
        activity.Seed(10, lastMessageId: null);

        Assert.True(activity.TryGetBefore(10, 100, out var previous));
        Assert.Null(previous);

        activity.Observe(Message(100, author: 1));
        Assert.True(activity.TryGetBefore(10, 101, out previous));
        Assert.Equal(new RecentMessage(100, 1), previous);
        Assert.False(activity.TryGetBefore(11, 100, out _)); // a channel never seeded nor seen stays unknown
    }

    [Fact]
    public void A_channel_seeded_with_its_last_message_knows_that_id_and_learns_its_author_when_seen()
    {
        var activity = new ChannelActivity();
        activity.Seed(10, lastMessageId: 50);

        Assert.True(activity.TryGetBefore(10, 100, out var previous));
        Assert.Equal(new RecentMessage(50, null), previous);
        Assert.False(activity.TryGetBefore(10, 40, out _)); // older than what the gateway said: not known

        activity.Observe(Message(50, author: 7)); // its event was still on its way
        Assert.True(activity.TryGetBefore(10, 100, out previous));
        Assert.Equal(new RecentMessage(50, 7), previous);
    }

    [Fact]
    public void A_seeded_channel_forgets_that_nothing_came_before_once_its_oldest_messages_leave()
    {
        var activity = new ChannelActivity();
        activity.Seed(10, lastMessageId: null);
        activity.Observe(Message(100, author: 1));
        activity.Observe(Message(200, author: 2));
        activity.Forget(10, 100); // the oldest goes: whatever preceded 200 is no longer known for sure
        Assert.False(activity.TryGetBefore(10, 150, out _));

        activity.Seed(11, lastMessageId: null);
        for (var id = 1UL; id <= ChannelActivity.RecentPerChannel + 1; id++)
        {
            activity.Observe(Message(id * 10, author: id, channel: 11));
        }

        Assert.False(activity.TryGetBefore(11, 15, out _)); // 10 was dropped to make room: what was before 15 is unknown
        Assert.True(activity.TryGetBefore(11, 25, out var previous));
        Assert.Equal(20UL, previous?.Id);
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
        Assert.Equal(100UL, previous?.Id);
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
        Assert.Equal(2000UL, previous?.Id);
        Assert.Equal(2000UL, previous?.AuthorId);
    }
}
