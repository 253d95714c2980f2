using Cordial.Bot.Delivery;
using FsCheck.Fluent;

namespace Cordial.Bot.Tests.Delivery;

/// <summary>
/// Streams FsCheck-generated Markdown in random chunk sizes through the streamer and checks what the channel
/// finally shows: exactly the model's text once unsplit, every message within the limit, one call at a time.
/// </summary>
public sealed class ReplyStreamerRandomizedTests
{
    [Fact]
    public async Task Random_markdown_in_random_chunks_is_delivered_exactly()
    {
        var texts = Gen.Sample(MessageSplitterPropertyTests.MarkdownText(), 60, 40).Where(t => t.Trim().Length > 0).ToList();
        var random = new Random(1234);
        foreach (var text in texts)
        {
            var limit = random.Next(MessageSplitter.MinimumLimit, MessageSplitter.PlainLimit + 1);
            var embed = random.Next(2) == 0;
            var surface = new FakeReplySurface();
            var yieldEvery = random.Next(1, 5);
            var count = 0;
            surface.Hold = _ => Interlocked.Increment(ref count) % yieldEvery == 0 ? Task.Delay(1, TestContext.Current.CancellationToken) : Task.CompletedTask;
            var options = new DeliveryOptions { Mode = embed ? DeliveryMode.Embed : DeliveryMode.Plain, MaxMessageLength = limit, MaxReplyLength = 200_000 };
            var chunks = new List<string>();
            for (var i = 0; i < text.Length;)
            {
                var size = Math.Min(random.Next(1, 40), text.Length - i);
                chunks.Add(text.Substring(i, size));
                i += size;
            }

            var result = await new ReplyStreamer(surface, 7, options, new ManualTimeProvider())
                .RunAsync(ModelStream.Of(chunks).ReadAsync(TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);

            var shown = surface.CurrentTexts;
            Assert.Equal(ReplyOutcome.Completed, result.Outcome);
            Assert.Equal(text, result.Text);
            Assert.All(shown, s => Assert.InRange(s.Length, 1, limit));
            Assert.Equal(MessageSplitter.Split(text, limit).Where(p => !string.IsNullOrWhiteSpace(p)), shown);
            if (shown.Count == MessageSplitter.Split(text, limit).Count)
            {
                Assert.Equal(text, MessageSplitter.Unsplit(shown));
            }

            Assert.Equal(1, surface.MaxInFlight);
        }
    }
}
