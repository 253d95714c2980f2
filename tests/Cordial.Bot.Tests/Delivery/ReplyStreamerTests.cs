using System.Collections.Concurrent;
using Cordial.Bot.Delivery;
using Microsoft.Extensions.AI;

namespace Cordial.Bot.Tests.Delivery;

public sealed class ReplyStreamerTests
{
    private const ulong UserMessageId = 42;

    private readonly ManualTimeProvider _time = new();
    private readonly FakeReplySurface _surface = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A streamer on the manual clock; unpaced unless <paramref name="paced"/> (pacing has tests of its own).</summary>
    private ReplyStreamer Create(DeliveryOptions? options = null, bool paced = false)
    {
        options ??= new DeliveryOptions();
        if (!paced)
        {
            options.EditInterval = TimeSpan.Zero;
        }

        return new(_surface, UserMessageId, options, _time);
    }

    [Fact]
    public async Task Edits_while_streaming_keep_the_interval_and_the_final_edit_goes_at_once()
    {
        var stream = new ModelStream();
        var run = Create(paced: true).RunAsync(stream.ReadAsync(Token), Token);

        stream.Write("one ");
        await Eventually.UntilAsync(() => _surface.Calls.Count == 1, "the first send");
        stream.Write("two ");
        await Eventually.UntilAsync(() => _time.ActiveTimers >= 1, "the edit to wait for its interval");
        stream.Write("three ");
        await Eventually.UntilAsync(() => stream.Consumed == 3, "the tokens read while the edit waits");
        Assert.Single(_surface.Calls); // within the interval: no edit yet

        _time.Advance(new DeliveryOptions().EditInterval);
        await Eventually.UntilAsync(() => _surface.Calls.Count == 2, "the paced edit");
        Assert.Equal("one two three", _surface.Calls[1].Message.Content?.TrimEnd());

        stream.Write("four");
        await Eventually.UntilAsync(() => _time.ActiveTimers >= 1, "the next edit to wait again");
        stream.Complete(); // the end is delivered at once, the interval notwithstanding
        var result = await run;

        Assert.Equal(3, _surface.Calls.Count);
        Assert.Equal(["one two three four"], _surface.CurrentTexts);
        Assert.Equal(ReplyOutcome.Completed, result.Outcome);
    }

    [Fact]
    public async Task Typing_starts_at_once_and_the_first_send_happens_at_the_first_token()
    {
        var stream = new ModelStream();
        var run = Create().RunAsync(stream.ReadAsync(Token), Token);

        await Eventually.UntilAsync(() => _surface.TypingCount >= 1, "typing at once");
        Assert.Empty(_surface.Calls);

        stream.Write("Hel");
        await Eventually.UntilAsync(() => _surface.Calls.Count == 1, "the first send");
        var first = _surface.Calls[0];
        Assert.Equal(SurfaceCallKind.Send, first.Kind);
        Assert.Equal("Hel", first.Message.Content);
        Assert.Equal(UserMessageId, first.Message.ReplyToMessageId);

        stream.Write("lo!");
        stream.Complete();
        var result = await run;

        Assert.Equal(ReplyOutcome.Completed, result.Outcome);
        Assert.Equal("Hello!", result.Text);
        Assert.Equal([_surface.CreatedIds[0]], result.MessageIds);
        Assert.Equal(["Hello!"], _surface.CurrentTexts);
        Assert.Single(_surface.Calls, c => c.Kind == SurfaceCallKind.Send);
        Assert.Equal(1, _surface.MaxInFlight);
    }

    [Fact]
    public async Task The_model_is_asked_before_the_typing_indicator_starts()
    {
        // The request is the message's critical path: the typing call (a REST request that may wait for its rate limit)
        // and the delivery loop start only once the request is on its way.
        int? typingWhenAsked = null;
        async IAsyncEnumerable<ChatResponseUpdate> Model()
        {
            typingWhenAsked = _surface.TypingCount;
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, "Hi");
        }

        var result = await Create().RunAsync(Model(), Token);

        Assert.Equal(0, typingWhenAsked);
        Assert.True(_surface.TypingCount >= 1);
        Assert.Equal(ReplyOutcome.Completed, result.Outcome);
        Assert.Equal(["Hi"], _surface.CurrentTexts);
    }

    [Fact]
    public async Task While_an_edit_is_held_the_whole_stream_is_read_and_then_only_the_latest_text_is_sent()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _surface.Hold = call => call.Kind == SurfaceCallKind.Edit && !release.Task.IsCompleted ? release.Task : Task.CompletedTask;
        var stream = new ModelStream();
        var run = Create().RunAsync(stream.ReadAsync(Token), Token);

        stream.Write("first ");
        await Eventually.UntilAsync(() => _surface.Calls.Count == 1, "the first send");
        stream.Write("second ");
        await Eventually.UntilAsync(() => _surface.Calls.Count == 2, "an edit that is held open");

        var words = Enumerable.Range(0, 300).Select(i => $"w{i} ").ToList();
        foreach (var word in words)
        {
            stream.Write(word);
        }

        stream.Complete();
        await Eventually.UntilAsync(() => stream.ReachedEnd, "the reader consuming the whole stream while the edit is held");
        Assert.Equal(2, _surface.Calls.Count);
        Assert.False(run.IsCompleted);

        release.SetResult();
        var result = await run;

        var expected = "first second " + string.Concat(words);
        var calls = _surface.Calls;
        Assert.Equal(3, calls.Count);
        Assert.Equal(SurfaceCallKind.Edit, calls[2].Kind);
        Assert.Equal(expected, calls[2].Message.Content);
        Assert.Equal(expected, result.Text);
        Assert.Equal(1, _surface.MaxInFlight);
    }

    [Fact]
    public async Task A_create_that_waits_for_Discord_carries_the_whole_answer_when_the_stream_ended_meanwhile()
    {
        // Under load a create queues behind Discord's rate limits; its content is decided when Discord takes it.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _surface.ContentWhenTaken = true;
        _surface.Hold = _ => release.Task;
        var stream = new ModelStream();
        var run = Create().RunAsync(stream.ReadAsync(Token), Token);

        stream.Write("The first words");
        await Eventually.UntilAsync(() => _surface.Calls.Count == 1, "the create, waiting");
        Assert.Equal("The first words", _surface.Calls[0].Message.Content);
        stream.Write(" and the rest of the answer.");
        stream.Complete();
        await Eventually.UntilAsync(() => stream.ReachedEnd, "the stream read to its end while the create waits");

        release.SetResult();
        var result = await run;

        var only = Assert.Single(_surface.Calls);
        Assert.Equal(SurfaceCallKind.Send, only.Kind);
        Assert.Equal(["The first words and the rest of the answer."], _surface.CurrentTexts);
        Assert.Equal(UserMessageId, _surface.Revisions(_surface.CreatedIds[0])[0].ReplyToMessageId);
        Assert.Equal(ReplyOutcome.Completed, result.Outcome);
    }

    [Fact]
    public async Task An_edit_that_waits_for_Discord_carries_the_newest_text()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _surface.ContentWhenTaken = true;
        _surface.Hold = call => call.Kind == SurfaceCallKind.Edit && !release.Task.IsCompleted ? release.Task : Task.CompletedTask;
        var stream = new ModelStream();
        var run = Create().RunAsync(stream.ReadAsync(Token), Token);

        stream.Write("one");
        await Eventually.UntilAsync(() => _surface.Calls.Count == 1, "the create");
        stream.Write(" two");
        await Eventually.UntilAsync(() => _surface.Calls.Count == 2, "an edit, waiting");
        stream.Write(" three");
        stream.Complete();
        await Eventually.UntilAsync(() => stream.ReachedEnd, "the stream read to its end while the edit waits");

        release.SetResult();
        await run;

        Assert.Equal(2, _surface.Calls.Count); // the waiting edit took the end with it: no further edit
        Assert.Equal(["one", "one two three"], _surface.Revisions(_surface.CreatedIds[0]).Select(m => m.Content));
    }

    [Fact]
    public async Task Overflow_continues_in_reply_chained_parts_whose_unsplit_is_the_model_text()
    {
        var text = SampleAnswers.WithCodeBlocks(9000);
        var stream = ModelStream.Of(ModelStream.Chunks(text, 7));
        var result = await Create().RunAsync(stream.ReadAsync(Token), Token);

        var ids = _surface.CreatedIds;
        Assert.True(ids.Count >= 5, $"expected at least 5 messages, got {ids.Count}");
        Assert.Equal(ids, result.MessageIds);
        var sends = _surface.Calls.Where(c => c.Kind == SurfaceCallKind.Send).ToList();
        Assert.Equal(UserMessageId, sends[0].Message.ReplyToMessageId);
        for (var i = 1; i < sends.Count; i++)
        {
            Assert.Equal(ids[i - 1], sends[i].Message.ReplyToMessageId);
        }

        var finals = _surface.CurrentTexts;
        Assert.All(finals, f => Assert.InRange(f.Length, 1, MessageSplitter.PlainLimit));
        Assert.Equal(MessageSplitter.Split(text), finals);
        Assert.Equal(text, MessageSplitter.Unsplit(finals));
        Assert.Equal(text, result.DeliveredText);
        Assert.Equal(finals, result.Parts);
        Assert.Equal(1, _surface.MaxInFlight);
    }

    [Fact]
    public async Task Each_message_is_told_when_it_is_created_with_the_one_before_it_and_what_it_shows()
    {
        var text = SampleAnswers.WithCodeBlocks(5000);
        var stream = new ModelStream();
        var told = new List<(ReplyPart Part, int CallsSoFar)>();
        var run = Create().RunAsync(stream.ReadAsync(Token), (part, _) =>
        {
            told.Add((part, _surface.Calls.Count));
            return ValueTask.CompletedTask;
        }, Token);
        stream.Write("First words");
        await Eventually.UntilAsync(() => told.Count == 1, "the first message to be told");
        var first = told[0];

        // Told while the answer still streams, right after its create, with what the create showed.
        Assert.Equal(new ReplyPart(_surface.CreatedIds[0], null, "First words"), first.Part);
        Assert.Equal(1, first.CallsSoFar);
        stream.Write(text);
        stream.Complete();
        var result = await run;

        Assert.True(result.MessageIds.Count >= 2, $"expected an overflow, got {result.MessageIds.Count} message(s)");
        Assert.Equal(result.MessageIds, told.Select(t => t.Part.MessageId));
        Assert.Equal([null, .. result.MessageIds.SkipLast(1).Select(id => (ulong?)id)], told.Select(t => t.Part.PreviousMessageId));
    }

    [Fact]
    public async Task A_failing_listener_of_new_messages_changes_nothing_of_the_delivery()
    {
        var stream = ModelStream.Of(ModelStream.Chunks("An answer that arrives in pieces.", 4));
        var result = await Create().RunAsync(stream.ReadAsync(Token), (_, _) => throw new InvalidOperationException("store down"), Token);

        Assert.Equal(ReplyOutcome.Completed, result.Outcome);
        Assert.Equal(["An answer that arrives in pieces."], _surface.CurrentTexts);
        Assert.Single(_surface.CreatedIds);
    }

    [Fact]
    public async Task Chunks_that_split_surrogate_pairs_and_fences_lose_no_character()
    {
        var text = string.Concat(Enumerable.Range(0, 400).Select(i => $"😀{i}```x\n"));
        var stream = ModelStream.Of(ModelStream.Chunks(text, 3));
        var result = await Create(new DeliveryOptions { MaxMessageLength = 500 }).RunAsync(stream.ReadAsync(Token), Token);

        Assert.Equal(text, result.Text);
        Assert.Equal(text, MessageSplitter.Unsplit(_surface.CurrentTexts));
        Assert.All(_surface.CurrentTexts, t => Assert.True(t.Length <= 500));
    }

    [Fact]
    public async Task Embed_mode_uses_the_progress_colour_then_the_done_colour_with_a_footer()
    {
        var options = new DeliveryOptions { Mode = DeliveryMode.Embed, InProgressColor = 0x111111, DoneColor = 0x222222 };
        var stream = new ModelStream();
        var run = Create(options).RunAsync(stream.ReadAsync(Token), Token);

        stream.Write("Streaming ");
        await Eventually.UntilAsync(() => _surface.Calls.Count == 1, "the first send");
        var first = _surface.Calls[0].Message;
        Assert.Null(first.Content);
        Assert.Equal("Streaming ", first.Embed!.Description);
        Assert.Equal(0x111111, first.Embed.Color);
        Assert.Null(first.Embed.FooterText);

        _time.Advance(TimeSpan.FromSeconds(2));
        stream.Write("answer.");
        stream.WriteUsage(42);
        stream.Complete();
        var result = await run;

        var last = _surface.Calls[^1].Message.Embed!;
        Assert.Equal("Streaming answer.", last.Description);
        Assert.Equal(0x222222, last.Color);
        Assert.Equal("sim-small \u00B7 42 tokens \u00B7 21.0 tokens/s", last.FooterText);
        Assert.Equal("sim-small", result.ModelId);
        Assert.Equal(42, result.Usage!.OutputTokenCount);
        Assert.Equal(ChatFinishReason.Stop, result.FinishReason);
        Assert.All(_surface.Calls, c => Assert.Null(c.Message.Content));
    }

    [Fact]
    public async Task Embed_mode_overflow_finalises_parts_with_the_done_colour_and_only_the_last_has_a_footer()
    {
        var options = new DeliveryOptions { Mode = DeliveryMode.Embed, MaxMessageLength = 1000 };
        var text = SampleAnswers.WithCodeBlocks(3500);
        var stream = ModelStream.Of(ModelStream.Chunks(text, 11));
        var result = await Create(options).RunAsync(stream.ReadAsync(Token), Token);

        var ids = _surface.CreatedIds;
        Assert.True(ids.Count >= 4);
        var finals = ids.Select(id => _surface.Revisions(id)[^1].Embed!).ToList();
        Assert.All(finals, e => Assert.Equal(options.DoneColor, e.Color));
        Assert.All(finals.SkipLast(1), e => Assert.Null(e.FooterText));
        Assert.StartsWith("sim-small", finals[^1].FooterText, StringComparison.Ordinal);
        Assert.Equal(text, MessageSplitter.Unsplit(finals.Select(e => e.Description)));
        Assert.Equal(finals.Select(e => e.Description), result.Parts);
    }

    [Fact]
    public async Task A_failure_mid_stream_ends_the_message_with_a_reason_line()
    {
        var stream = new ModelStream();
        var run = Create().RunAsync(stream.ReadAsync(Token), Token);
        stream.Write("Partial answer");
        await Eventually.UntilAsync(() => _surface.Calls.Count == 1, "the first send");
        stream.Fail(new HttpRequestException("connection reset"));
        var result = await run;

        Assert.Equal(ReplyOutcome.GenerationFailed, result.Outcome);
        Assert.Equal("Partial answer", result.Text);
        Assert.NotNull(result.FailureReason);
        var shown = Assert.Single(_surface.CurrentTexts);
        Assert.Equal("Partial answer\n\n\u26A0\uFE0F " + result.FailureReason, shown);
        Assert.Contains("could not be reached", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("connection reset", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_that_runs_past_its_time_limit_is_stopped_and_ends_with_what_was_said_and_a_reason()
    {
        var stream = new ModelStream();
        var run = Create().RunAsync(stream.ReadAsync(Token), partCreated: null, Token, readTimeLimit: TimeSpan.FromMinutes(10));
        stream.Write("Half an answer");
        await Eventually.UntilAsync(() => _surface.Calls.Count == 1, "the first send");

        _time.Advance(TimeSpan.FromMinutes(10)); // the model says nothing more
        var result = await run;

        Assert.Equal(ReplyOutcome.TimedOut, result.Outcome);
        Assert.True(stream.Cancelled, "the model's stream is stopped");
        Assert.Equal("Half an answer", result.Text);
        Assert.Equal("Half an answer\n\n\u26A0\uFE0F " + result.FailureReason, Assert.Single(_surface.CurrentTexts));
        Assert.Contains("too long", result.FailureReason, StringComparison.Ordinal);
        Assert.Equal(0, _time.ActiveTimers); // nothing of the limit outlives the read
    }

    [Fact]
    public async Task A_stream_that_ends_within_its_time_limit_is_not_cut()
    {
        var stream = new ModelStream();
        var run = Create().RunAsync(stream.ReadAsync(Token), partCreated: null, Token, readTimeLimit: TimeSpan.FromMinutes(10));
        stream.Write("A whole answer");
        stream.Complete();
        var result = await run;
        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(ReplyOutcome.Completed, result.Outcome);
        Assert.Equal(["A whole answer"], _surface.CurrentTexts);
    }

    [Fact]
    public async Task A_failure_inside_a_code_block_closes_the_block_before_the_reason()
    {
        var failing = new ModelStream();
        failing.Write("Here:\n```py\nprint(1)");
        failing.Fail(new InvalidOperationException("boom"));
        var result = await Create(new DeliveryOptions { Mode = DeliveryMode.Embed }).RunAsync(failing.ReadAsync(Token), Token);

        var last = _surface.Calls[^1].Message.Embed!;
        Assert.Equal("Here:\n```py\nprint(1)\n```\n\n\u26A0\uFE0F " + result.FailureReason, last.Description);
        Assert.Equal(new DeliveryOptions().FailedColor, last.Color);
        Assert.True(FenceBalance.IsBalanced(last.Description));
    }

    [Fact]
    public async Task A_failure_before_any_token_sends_the_reason()
    {
        var stream = new ModelStream();
        stream.Fail(new TimeoutException());
        var result = await Create().RunAsync(stream.ReadAsync(Token), Token);

        Assert.Equal(ReplyOutcome.GenerationFailed, result.Outcome);
        var call = Assert.Single(_surface.Calls);
        Assert.Equal(SurfaceCallKind.Send, call.Kind);
        Assert.Equal("\u26A0\uFE0F " + result.FailureReason, call.Message.Content);
        Assert.Contains("too long", call.Message.Content, StringComparison.Ordinal);
        Assert.Null(result.TimeToFirstToken);
    }

    [Fact]
    public async Task Reasoning_is_hidden_and_the_first_send_waits_for_answer_text()
    {
        var stream = new ModelStream();
        var run = Create().RunAsync(stream.ReadAsync(Token), Token);
        stream.WriteReasoning("secret chain of thought");
        await Eventually.UntilAsync(() => stream.Consumed == 1, "the reasoning update to be read");

        _time.Advance(TimeSpan.FromSeconds(3));
        stream.Write("The answer.");
        stream.Complete();
        var result = await run;

        Assert.All(_surface.Calls, c => Assert.DoesNotContain("secret", c.Message.Text, StringComparison.Ordinal));
        Assert.Equal(["The answer."], _surface.CurrentTexts);
        Assert.Equal("secret chain of thought".Length, result.ReasoningLength);
        Assert.Equal(TimeSpan.FromSeconds(3), result.TimeToFirstToken);
    }

    [Fact]
    public async Task Updates_with_empty_text_or_only_usage_cause_no_call()
    {
        var stream = new ModelStream();
        var run = Create().RunAsync(stream.ReadAsync(Token), Token);
        stream.Write("Hi");
        await Eventually.UntilAsync(() => _surface.Calls.Count == 1, "the first send");

        stream.Write("");
        stream.Write(new ChatResponseUpdate { ModelId = "sim-small" });
        stream.WriteUsage(1);
        stream.Complete();
        var result = await run;

        Assert.Single(_surface.Calls);
        Assert.Equal("Hi", result.Text);
        Assert.Equal(1, result.Usage!.OutputTokenCount);
    }

    [Fact]
    public async Task An_empty_answer_is_not_silence()
    {
        var stream = new ModelStream();
        stream.WriteReasoning("thinking");
        stream.Write("  ");
        stream.WriteUsage(0);
        stream.Complete();
        var result = await Create().RunAsync(stream.ReadAsync(Token), Token);

        var call = Assert.Single(_surface.Calls);
        Assert.Contains("empty answer", call.Message.Content, StringComparison.Ordinal);
        Assert.Equal(ReplyOutcome.Completed, result.Outcome);
        Assert.Equal("  ", result.Text);
    }

    [Fact]
    public async Task Allowed_mentions_are_none_on_every_call()
    {
        var text = "@everyone look <@123> and <@&456> @here " + string.Concat(Enumerable.Repeat("ping @everyone ", 300));
        var stream = ModelStream.Of(ModelStream.Chunks(text, 20));
        await Create().RunAsync(stream.ReadAsync(Token), Token);

        Assert.True(_surface.Calls.Count > 2);
        Assert.All(_surface.Calls, c =>
        {
            Assert.Same(AllowedMentions.None, c.Message.AllowedMentions);
            Assert.Empty(c.Message.AllowedMentions.Parse);
            Assert.False(c.Message.AllowedMentions.RepliedUser);
        });
    }

    [Fact]
    public void Allowed_mentions_cannot_be_turned_on()
    {
        Assert.Empty(typeof(AllowedMentions).GetConstructors());
        Assert.All(typeof(AllowedMentions).GetProperties(), p => Assert.Null(p.SetMethod));
        Assert.Null(typeof(OutgoingMessage).GetProperty(nameof(OutgoingMessage.AllowedMentions))!.SetMethod);
        Assert.Empty(typeof(OutgoingMessage).GetConstructors());
    }

    [Fact]
    public async Task A_refused_typing_indicator_is_skipped_without_an_exception_and_tried_again_at_the_next_refresh()
    {
        var budgets = new ConcurrentQueue<TimeSpan>();
        var refuse = 1;
        _surface.Typing = (budget, _) =>
        {
            budgets.Enqueue(budget);
            return ValueTask.FromResult(Interlocked.Exchange(ref refuse, 0) == 0); // the first one is refused
        };
        var logger = new ListLogger<ReplyStreamer>();
        var stream = new ModelStream();
        var run = new ReplyStreamer(_surface, UserMessageId, new DeliveryOptions { EditInterval = TimeSpan.Zero }, _time, logger).RunAsync(stream.ReadAsync(Token), Token);

        // Refused: logged as skipped (no exception anywhere), and the only timer is the refresh.
        await Eventually.UntilAsync(() => _surface.TypingCount == 1 && _time.ActiveTimers == 1, "the refused indicator and the refresh timer");
        var skipped = Assert.Single(logger.Entries, e => e.EventId.Id == 4106);
        Assert.Null(skipped.Exception);
        Assert.DoesNotContain(logger.Entries, e => e.EventId.Id == 4103);
        Assert.Equal([ReplyStreamer.TypingBudget], budgets);

        _time.Advance(new DeliveryOptions().TypingRefresh);
        await Eventually.UntilAsync(() => _surface.TypingCount == 2 && _time.ActiveTimers == 1, "the indicator tried again at the next refresh");
        Assert.Single(logger.Entries, e => e.EventId.Id == 4106);

        stream.Write("Still answered.");
        stream.Complete();
        var result = await run;
        Assert.Equal(ReplyOutcome.Completed, result.Outcome);
        Assert.Equal(["Still answered."], _surface.CurrentTexts);
        Assert.DoesNotContain(logger.Entries, e => e.EventId.Id == 4103 || e.Exception is not null);
    }

    [Fact]
    public async Task A_typing_indicator_still_waiting_for_Discord_holds_no_timer_and_ends_quietly_with_the_first_message()
    {
        var typingEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _surface.Typing = async (_, token) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, token); // waits for a permit within its budget
                return true;
            }
            finally
            {
                typingEnded.TrySetResult();
            }
        };
        var logger = new ListLogger<ReplyStreamer>();
        var stream = new ModelStream();
        var run = new ReplyStreamer(_surface, UserMessageId, new DeliveryOptions { EditInterval = TimeSpan.Zero }, _time, logger).RunAsync(stream.ReadAsync(Token), Token);
        await Eventually.UntilAsync(() => _surface.TypingCount == 1, "a typing call waiting for Discord");

        // The surface keeps the budget: the streamer arms no timer of its own while the call waits.
        Assert.Equal(0, _time.ActiveTimers);
        _time.Advance(ReplyStreamer.TypingBudget);
        Assert.False(typingEnded.Task.IsCompleted);

        stream.Write("Answered.");
        await typingEnded.Task.WaitAsync(TimeSpan.FromSeconds(30), Token);
        stream.Complete();
        var result = await run;
        Assert.Equal(ReplyOutcome.Completed, result.Outcome);
        Assert.Equal(1, _surface.TypingCount);
        Assert.DoesNotContain(logger.Entries, e => e.EventId.Id is 4103 or 4106);
    }

    [Fact]
    public async Task Typing_is_refreshed_until_the_first_message_then_stops()
    {
        var stream = new ModelStream();
        var run = Create().RunAsync(stream.ReadAsync(Token), Token);
        await Eventually.UntilAsync(() => _surface.TypingCount == 1 && _time.ActiveTimers == 1, "typing and its refresh timer");

        _time.Advance(TimeSpan.FromSeconds(8));
        await Eventually.UntilAsync(() => _surface.TypingCount == 2 && _time.ActiveTimers == 1, "the first refresh");
        _time.Advance(TimeSpan.FromSeconds(8));
        await Eventually.UntilAsync(() => _surface.TypingCount == 3 && _time.ActiveTimers == 1, "the second refresh");

        stream.Write("Now.");
        await Eventually.UntilAsync(() => _surface.Calls.Count == 1 && _time.ActiveTimers == 0, "the send, which stops typing");
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(3, _surface.TypingCount);

        stream.Complete();
        await run;
        Assert.Equal(3, _surface.TypingCount);
    }

    [Fact]
    public async Task Cancellation_stops_reading_typing_and_delivery_cleanly()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var stream = new ModelStream();
        var run = Create().RunAsync(stream.ReadAsync(Token), cts.Token);
        stream.Write("Some text");
        await Eventually.UntilAsync(() => _surface.Calls.Count == 1, "the first send");

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        Assert.True(stream.Cancelled);
        Assert.Equal(0, _time.ActiveTimers);
        var calls = _surface.Calls.Count;
        stream.Write(" more");
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(calls, _surface.Calls.Count);
    }

    [Fact]
    public async Task Cancellation_while_an_edit_is_held_aborts_it()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var never = new TaskCompletionSource();
        _surface.Hold = call => call.Kind == SurfaceCallKind.Edit ? never.Task : Task.CompletedTask;
        var stream = new ModelStream();
        var run = Create().RunAsync(stream.ReadAsync(Token), cts.Token);
        stream.Write("a");
        await Eventually.UntilAsync(() => _surface.Calls.Count == 1, "the first send");
        stream.Write("b");
        await Eventually.UntilAsync(() => _surface.Calls.Count == 2, "the held edit");

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal(2, _surface.Calls.Count);
    }

    [Fact]
    public async Task A_transient_edit_failure_is_healed_by_the_next_edit()
    {
        var failedOnce = 0;
        _surface.Fault = call => call.Kind == SurfaceCallKind.Edit && Interlocked.Exchange(ref failedOnce, 1) == 0
            ? new HttpRequestException("500")
            : null;
        var stream = new ModelStream();
        var run = Create().RunAsync(stream.ReadAsync(Token), Token);
        stream.Write("one ");
        await Eventually.UntilAsync(() => _surface.Calls.Count == 1, "the first send");
        stream.Write("two ");
        await Eventually.UntilAsync(() => Volatile.Read(ref failedOnce) == 1, "the failed edit");
        stream.Write("three");
        stream.Complete();
        var result = await run;

        Assert.Equal(ReplyOutcome.Completed, result.Outcome);
        Assert.Equal(["one two three"], _surface.CurrentTexts);
        Assert.Equal(1, failedOnce);
    }

    [Fact]
    public async Task Repeated_failures_stop_delivery_and_the_model_stream()
    {
        _surface.Fault = call => call.Kind == SurfaceCallKind.Edit ? new HttpRequestException("403") : null;
        var stream = new ModelStream();
        var run = Create(new DeliveryOptions { MaxConsecutiveFailures = 2 }).RunAsync(stream.ReadAsync(Token), Token);
        stream.Write("a");
        await Eventually.UntilAsync(() => _surface.Calls.Count == 1, "the first send");
        stream.Write("b");
        await Eventually.UntilAsync(() => _surface.Calls.Count >= 2, "a failing edit");
        stream.Write("c");

        var result = await run;
        Assert.Equal(ReplyOutcome.DeliveryFailed, result.Outcome);
        Assert.True(stream.Cancelled);
        Assert.Equal(3, _surface.Calls.Count);
        Assert.Equal([_surface.CreatedIds[0]], result.MessageIds);
    }

    [Fact]
    public async Task A_streamer_runs_once()
    {
        var streamer = Create();
        await streamer.RunAsync(ModelStream.Of(["x"]).ReadAsync(Token), Token);
        await Assert.ThrowsAsync<InvalidOperationException>(() => streamer.RunAsync(ModelStream.Of(["y"]).ReadAsync(Token), Token));
    }

    [Fact]
    public async Task Silent_option_is_carried_by_every_message()
    {
        var stream = ModelStream.Of(ModelStream.Chunks(new string('z', 2500), 100));
        await Create(new DeliveryOptions { Silent = true }).RunAsync(stream.ReadAsync(Token), Token);
        Assert.All(_surface.Calls, c => Assert.True(c.Message.Silent));
    }

    [Fact]
    public async Task An_in_progress_part_inside_a_code_block_is_shown_closed_but_the_final_text_is_exact()
    {
        var stream = new ModelStream();
        var run = Create().RunAsync(stream.ReadAsync(Token), Token);
        stream.Write("Code:\n```js\nlet a = 1;\n");
        await Eventually.UntilAsync(() => _surface.Calls.Count == 1, "the first send");
        Assert.Equal("Code:\n```js\nlet a = 1;\n\n```", _surface.Calls[0].Message.Content);

        stream.Write("```");
        stream.Complete();
        await run;
        Assert.Equal(["Code:\n```js\nlet a = 1;\n```"], _surface.CurrentTexts);
    }

    [Fact]
    public async Task A_runaway_answer_is_cut_at_the_maximum_length_and_the_model_stream_is_stopped()
    {
        var stream = new ModelStream();
        var run = Create(new DeliveryOptions { MaxReplyLength = 1000 }).RunAsync(stream.ReadAsync(Token), Token);
        for (var i = 0; i < 300; i++)
        {
            stream.Write("abc😀 ");
        }

        var result = await run;
        Assert.Equal(ReplyOutcome.Truncated, result.Outcome);
        Assert.Equal(999, result.Text.Length);
        Assert.Equal(string.Concat(Enumerable.Repeat("abc😀 ", 300))[..999], result.Text);
        Assert.Null(result.FailureReason);
        Assert.True(stream.Consumed < 300);
        var shown = MessageSplitter.Unsplit(_surface.CurrentTexts);
        Assert.Equal(result.DeliveredText, shown);
        Assert.StartsWith(result.Text, shown, StringComparison.Ordinal);
        Assert.EndsWith("and was cut here.", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_never_waits_for_another_channel()
    {
        var stuck = new FakeReplySurface { Hold = _ => new TaskCompletionSource().Task };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var stuckStream = new ModelStream();
        var stuckRun = new ReplyStreamer(stuck, 1, new DeliveryOptions { EditInterval = TimeSpan.Zero }, _time).RunAsync(stuckStream.ReadAsync(cts.Token), cts.Token);
        stuckStream.Write("held forever");
        await Eventually.UntilAsync(() => stuck.Calls.Count == 1, "the stuck channel's send");

        var result = await Create().RunAsync(ModelStream.Of(ModelStream.Chunks(new string('q', 4500), 50)).ReadAsync(Token), Token);
        Assert.Equal(ReplyOutcome.Completed, result.Outcome);
        Assert.Equal(3, result.MessageIds.Count);
        Assert.False(stuckRun.IsCompleted);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stuckRun);
    }

    [Fact]
    public async Task With_ShowReasoning_a_preview_is_shown_until_the_answer_replaces_it()
    {
        var stream = new ModelStream();
        var run = Create(new DeliveryOptions { ShowReasoning = true }).RunAsync(stream.ReadAsync(Token), Token);
        stream.WriteReasoning("First I check\nthe input.");
        await Eventually.UntilAsync(() => _surface.Calls.Count == 1, "the reasoning preview");
        Assert.Equal("-# \U0001F4AD First I check the input.", _surface.Calls[0].Message.Content);

        stream.Write("The result is 4.");
        stream.WriteReasoning(" late reasoning is not previewed");
        stream.Complete();
        var result = await run;

        Assert.Equal(["The result is 4."], _surface.CurrentTexts);
        Assert.Single(_surface.CreatedIds);
        Assert.DoesNotContain(_surface.Calls, c => c.Message.Text.Contains("late", StringComparison.Ordinal));
        Assert.Equal("The result is 4.", result.Text);
    }

    [Fact]
    public async Task A_stream_read_to_its_end_is_let_go_while_the_reply_still_waits_for_Discord()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _surface.Hold = _ => release.Task; // the message waits, as behind Discord's saturated global limit
        var prompt = new WeakReference<object?>(null);

        var run = Create().RunAsync(AnswerHolding(NewPrompt(prompt), Token), Token);
        await Eventually.UntilAsync(() => _surface.Calls.Count == 1, "the message to wait for Discord");

        // The stream has ended; what its iterator holds (in the pipeline: the prompt and the options) must not wait with
        // the reply. The state machine kept its parameter, and with it the finished stream, until the reply ended.
        await Eventually.UntilAsync(
            () =>
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                return !prompt.TryGetTarget(out _);
            },
            "the finished stream and its prompt to be collected while the reply waits");
        Assert.False(run.IsCompleted);

        release.SetResult();
        var result = await run;
        Assert.Equal("the whole answer", result.Text);
    }

    // Not inlined, so no caller's local keeps the prompt alive.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static object NewPrompt(WeakReference<object?> reference)
    {
        var prompt = new byte[64 * 1024];
        reference.SetTarget(prompt);
        return prompt;
    }

    /// <summary>A finished stream that keeps <paramref name="prompt"/> as the pipeline's stages keep theirs: as a parameter.</summary>
    private static async IAsyncEnumerable<ChatResponseUpdate> AnswerHolding(object prompt, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        yield return new ChatResponseUpdate(ChatRole.Assistant, "the whole answer") { FinishReason = ChatFinishReason.Stop };
        GC.KeepAlive(prompt);
    }
}
