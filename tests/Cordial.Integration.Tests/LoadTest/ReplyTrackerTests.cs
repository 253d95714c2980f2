using System.Text.Json;
using Cordial.Bot.Delivery;
using Cordial.LoadTest;

namespace Cordial.Integration.Tests.LoadTest;

public sealed class ReplyTrackerTests
{
    private const ulong Bot = 900;
    private const ulong User = 100;
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private static string Message(string type, ulong id, ulong author, string content, ulong? replyTo = null, ulong? interaction = null, double atMs = 0, double createdMs = 0) =>
        JsonSerializer.Serialize(new
        {
            type,
            at = T0.AddMilliseconds(atMs),
            message = new
            {
                id = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                channelId = "5",
                authorId = author.ToString(System.Globalization.CultureInfo.InvariantCulture),
                content,
                replyToMessageId = replyTo?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                interactionId = interaction?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                deleted = false,
                createdAt = T0.AddMilliseconds(createdMs),
            },
        });

    private static ReplyTracker Tracker(string expected)
    {
        var tracker = new ReplyTracker(Bot, expected);
        tracker.AddUser(User);
        return tracker;
    }

    [Fact]
    public async Task A_streamed_reply_completes_when_its_text_is_whole_and_times_come_from_the_emulator()
    {
        var tracker = Tracker("alpha beta gamma");
        tracker.Handle(Message("message_created", 1, User, "<@900> hi", createdMs: 0));
        var pending = tracker.Claim(1, T0);

        tracker.Handle(Message("message_created", 2, Bot, "alpha", replyTo: 1, createdMs: 120));
        tracker.Handle(Message("message_updated", 2, Bot, "alpha beta", replyTo: 1, atMs: 300, createdMs: 120));
        Assert.False(pending.IsDone);
        tracker.Handle(Message("message_updated", 2, Bot, "alpha beta gamma", replyTo: 1, atMs: 450, createdMs: 120));

        Assert.True(pending.IsDone);
        var outcome = await pending.Outcome;
        Assert.Null(outcome.Error);
        Assert.Equal(TimeSpan.FromMilliseconds(120), outcome.TimeToFirstMessage);
        Assert.Equal(TimeSpan.FromMilliseconds(450), outcome.AnswerTime);
        Assert.Equal(2UL, outcome.LastMessageId);
    }

    [Fact]
    public async Task A_reply_seen_before_the_user_claims_its_message_still_completes()
    {
        var tracker = Tracker("done");
        tracker.Handle(Message("message_created", 1, User, "<@900> hi"));
        tracker.Handle(Message("message_created", 2, Bot, "done", replyTo: 1, createdMs: 50));

        var pending = tracker.Claim(1, T0);

        Assert.True(pending.IsDone);
        Assert.Null((await pending.Outcome).Error);
    }

    [Fact]
    public async Task A_split_answer_completes_when_its_parts_put_together_equal_the_text()
    {
        var text = string.Join(' ', Enumerable.Repeat("word", 900)); // 4499 characters: three parts at 2000
        var parts = MessageSplitter.Split(text, 2000);
        Assert.True(parts.Count >= 3);
        var tracker = Tracker(text);
        var pending = tracker.Claim(1, T0);

        ulong parent = 1;
        for (var i = 0; i < parts.Count; i++)
        {
            Assert.False(pending.IsDone);
            var id = (ulong)(10 + i);
            tracker.Handle(Message("message_created", id, Bot, parts[i], replyTo: parent, createdMs: 100 * (i + 1)));
            parent = id;
        }

        Assert.True(pending.IsDone);
        Assert.Equal((ulong)(10 + parts.Count - 1), (await pending.Outcome).LastMessageId);
    }

    [Fact]
    public async Task A_slash_command_answer_is_matched_by_its_interaction_and_the_empty_deferral_is_not_a_first_message()
    {
        var tracker = Tracker("answer");
        tracker.Handle(JsonSerializer.Serialize(new { type = "interaction_created", at = T0, userId = "100", interactionId = "77" }));
        var pending = tracker.Claim(77, T0);

        tracker.Handle(Message("message_created", 3, Bot, "", interaction: 77, createdMs: 10));
        tracker.Handle(Message("message_updated", 3, Bot, "answer", interaction: 77, atMs: 200, createdMs: 10));

        Assert.True(pending.IsDone);
        Assert.Equal(TimeSpan.FromMilliseconds(200), (await pending.Outcome).TimeToFirstMessage);
    }

    [Fact]
    public async Task A_failure_mark_fails_the_answer_with_the_bots_reason()
    {
        var tracker = Tracker("never shown");
        var pending = tracker.Claim(1, T0);

        tracker.Handle(Message("message_created", 2, Bot, "never\n\n⚠️ The model is unavailable.", replyTo: 1));

        Assert.Contains("The model is unavailable.", (await pending.Outcome).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_messages_and_malformed_events_are_ignored()
    {
        var tracker = Tracker("x");
        var pending = tracker.Claim(1, T0);

        tracker.Handle(Message("message_created", 2, Bot, "x", replyTo: 555)); // answers someone else
        tracker.Handle(Message("message_created", 3, 12345, "x", replyTo: 1)); // not the bot
        tracker.Handle("{not json");

        Assert.False(pending.IsDone);
        Assert.Equal(1, tracker.UnparsableEvents);
        Assert.Equal(3, tracker.Events);
    }

    [Fact]
    public void Release_forgets_the_request_and_its_parts()
    {
        var tracker = Tracker("a");
        var pending = tracker.Claim(1, T0);
        tracker.Handle(Message("message_created", 2, Bot, "a", replyTo: 1));

        tracker.Release(pending);

        Assert.Equal(0, tracker.Pending);
        Assert.False(tracker.Claim(1, T0).IsDone); // a new wait, not the old answer
    }

    [Fact]
    public void A_timeout_fails_the_wait_and_says_what_was_seen()
    {
        var tracker = Tracker("a b c");
        var pending = tracker.Claim(1, T0);
        tracker.Handle(Message("message_created", 2, Bot, "a", replyTo: 1));

        var outcome = pending.Fail("no complete answer within 5 s", T0);

        Assert.Contains("no complete answer within 5 s", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("1 message(s)", outcome.Error, StringComparison.Ordinal);
    }
}
