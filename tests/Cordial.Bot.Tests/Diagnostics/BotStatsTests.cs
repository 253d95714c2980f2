using System.Diagnostics.Metrics;
using Cordial.Bot.Diagnostics;
using Cordial.Bot.Responding;
using Cordial.Llm.Pipeline;

namespace Cordial.Bot.Tests.Diagnostics;

public sealed class BotStatsTests
{
    [Fact]
    public void RecordSince_measures_on_the_given_clock()
    {
        var time = new ManualTimeProvider();
        time.Advance(TimeSpan.FromSeconds(1));
        using var stats = new BotStats(time);
        var start = time.GetTimestamp();
        time.Advance(TimeSpan.FromMilliseconds(1.5));
        stats.RecordSince(stats.TokenToDiscord, start);

        var snapshot = stats.TokenToDiscord.Snapshot();
        Assert.Equal(1, snapshot.Count);
        Assert.Equal(1_500_000, snapshot.MaxNanoseconds);
        Assert.InRange(snapshot.PercentileNanoseconds(50), 1_500_000 * (1 - (1 / 64.0)), 1_500_000);
    }

    [Fact]
    public void The_request_started_callback_records_the_first_call_only()
    {
        var time = new ManualTimeProvider();
        time.Advance(TimeSpan.FromSeconds(1));
        using var stats = new BotStats(time);
        var received = time.GetTimestamp();
        var callback = stats.RequestStartedCallback(received);
        time.Advance(TimeSpan.FromMilliseconds(2));
        callback();
        time.Advance(TimeSpan.FromSeconds(5)); // a retry after a backoff: not overhead
        callback();

        var snapshot = stats.MessageToRequest.Snapshot();
        Assert.Equal(1, snapshot.Count);
        Assert.Equal(2_000_000, snapshot.MaxNanoseconds);
    }

    [Fact]
    public void Counters_count_and_reset_zeroes_everything_but_the_start()
    {
        var time = new ManualTimeProvider();
        using var stats = new BotStats(time);
        stats.CountMessageReceived();
        stats.CountMessageReceived();
        stats.CountReply(completed: true);
        stats.CountReply(completed: false);
        stats.CountReply(completed: false);
        stats.RecordSince(stats.MessageToRequest, 0);
        Assert.Equal((2L, 1L, 2L), (stats.MessagesReceived, stats.RepliesCompleted, stats.RepliesFailed));

        time.Advance(TimeSpan.FromSeconds(3));
        stats.Reset();

        Assert.Equal((0L, 0L, 0L), (stats.MessagesReceived, stats.RepliesCompleted, stats.RepliesFailed));
        Assert.Equal(0, stats.MessageToRequest.Snapshot().Count);
        Assert.Equal(TimeSpan.FromSeconds(3), time.GetElapsedTime(stats.StartedAt, stats.ResetAt));
    }

    [Fact]
    public void The_figures_are_published_on_the_Cordial_Bot_meter()
    {
        var time = new ManualTimeProvider();
        using var stats = new BotStats(time);
        stats.CountMessageReceived();
        stats.CountReply(completed: true);
        stats.MessageToRequest.RecordNanoseconds(250_000);

        var seen = new List<(string Name, double Value, string? Tag)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, stats.Meter) && instrument.Meter.Name == BotStats.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => seen.Add((i.Name, v, tags.Length > 0 ? tags[0].Value?.ToString() : null)));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => seen.Add((i.Name, v, tags.Length > 0 ? tags[0].Value?.ToString() : null)));
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.Contains(("cordial.bot.messages_received", 1d, (string?)null), seen);
        Assert.Contains(("cordial.bot.replies", 1d, "completed"), seen);
        var p99 = Assert.Single(seen, s => s.Name == "cordial.bot.overhead.message_to_request" && s.Tag == "0.99");
        Assert.InRange(p99.Value, 250 * (1 - (1 / 64.0)), 250);
        Assert.DoesNotContain(seen, s => s.Name == "cordial.bot.overhead.token_to_discord");
    }

    [Fact]
    public void The_request_started_key_is_the_one_the_pipeline_reads()
    {
        Assert.Equal(ProviderCallProperties.RequestStarted, MessageResponder.RequestStartedProperty);
    }
}
