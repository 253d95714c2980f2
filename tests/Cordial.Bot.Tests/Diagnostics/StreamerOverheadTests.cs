using Cordial.Bot.Delivery;
using Cordial.Bot.Diagnostics;
using Cordial.Bot.Tests.Delivery;

namespace Cordial.Bot.Tests.Diagnostics;

/// <summary>The reply streamer's token → Discord figure: its own delay only, never the pacing of Discord calls.</summary>
public sealed class StreamerOverheadTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Time_spent_waiting_for_a_held_Discord_call_is_not_counted_as_overhead()
    {
        var time = new ManualTimeProvider();
        time.Advance(TimeSpan.FromSeconds(1));
        using var stats = new BotStats(time);
        var surface = new FakeReplySurface();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        surface.Hold = call => call.Kind == SurfaceCallKind.Send ? release.Task : Task.CompletedTask;
        var streamer = new ReplyStreamer(surface, 42, new DeliveryOptions { EditInterval = TimeSpan.Zero }, time, stats: stats);
        var stream = new ModelStream();
        var run = streamer.RunAsync(stream.ReadAsync(Token), Token);

        stream.Write("Hel");
        await Eventually.UntilAsync(() => surface.Calls.Count == 1, "the first send, held open");
        time.Advance(TimeSpan.FromSeconds(2));
        stream.Write("lo");
        await Eventually.UntilAsync(() => stream.Consumed == 2, "the second token read while the send is held");
        time.Advance(TimeSpan.FromSeconds(3)); // Discord (or its rate limit) keeps the send 5 s in all
        release.SetResult();
        await Eventually.UntilAsync(() => surface.Calls.Count == 2, "the edit with the newer text");
        stream.Complete();
        var result = await run;

        Assert.Equal("Hello", result.Text);
        var overhead = stats.TokenToDiscord.Snapshot();
        Assert.Equal(2, overhead.Count); // the send and the edit that carried new text; the final edit carried none
        Assert.Equal(0, overhead.MaxNanoseconds); // the clock only moved while a call was in flight
    }
}
