using Cordial.Llm.Caching;
using Cordial.Llm.Fallback;
using Cordial.Llm.Telemetry;
using Cordial.Llm.Tests.Pipeline;
using Cordial.Llm.Tests.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Cordial.Llm.Tests.Caching;

public sealed class ResponseCachingChatClientTests
{
    private readonly ManualTimeProvider _time = new();

    private static List<ChatMessage> Ask(string prompt, string earlier = "earlier message") =>
        [new(ChatRole.System, "persona"), new(ChatRole.User, earlier), new(ChatRole.Assistant, "earlier answer"), new(ChatRole.User, prompt)];

    private (FakeChatClient Inner, ResponseCachingChatClient Cache) Create(CacheOptions? options = null, LlmMetrics? metrics = null)
    {
        var inner = new FakeChatClient { Respond = (call, _, _, _) => CacheTestStreams.Stop("answer ", call.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        return (inner, new ResponseCachingChatClient(inner, options, _time, metrics));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_hit_replays_identical_text_model_and_usage_without_calling_upstream(bool streaming)
    {
        var (inner, client) = Create();

        var (first, _) = await ChatRun.AskAsync(client, streaming, Ask("tell me a story"));
        var (second, updates) = await ChatRun.AskAsync(client, streaming, Ask("tell me a story"));

        Assert.Equal(1, inner.Calls);
        Assert.Equal("answer 1", first.Text);
        Assert.Equal(first.Text, second.Text);
        Assert.Equal("m", second.ModelId);
        Assert.Equal(ChatFinishReason.Stop, second.FinishReason);
        Assert.Equal(10, second.Usage?.InputTokenCount);
        Assert.Equal(2, second.Usage?.OutputTokenCount);
        Assert.Equal(12, second.Usage?.TotalTokenCount);
        Assert.Null(first.AdditionalProperties?.GetValueOrDefault(ResponseCachingChatClient.CacheHitProperty));
        if (streaming)
        {
            Assert.NotEmpty(updates);
            Assert.All(updates, u => Assert.Equal(true, u.AdditionalProperties?[ResponseCachingChatClient.CacheHitProperty]));
            Assert.All(updates, u => Assert.Equal("m", u.ModelId));
        }
        else
        {
            Assert.Equal(true, second.AdditionalProperties?[ResponseCachingChatClient.CacheHitProperty]);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_long_compressed_answer_replays_exactly_in_chunks(bool streaming)
    {
        var text = string.Concat(Enumerable.Range(0, 300).Select(i => $"{i} 🦊 bücher "));
        var inner = new FakeChatClient { Respond = (_, _, _, _) => CacheTestStreams.Stop(text[..1000], text[1000..]) };
        var client = new ResponseCachingChatClient(inner, null, _time);

        await ChatRun.AskAsync(client, streaming, Ask("long"));
        var (second, updates) = await ChatRun.AskAsync(client, streaming, Ask("long"));

        Assert.Equal(1, inner.Calls);
        Assert.Equal(text, second.Text);
        Assert.True(client.Cache.Bytes < System.Text.Encoding.UTF8.GetByteCount(text)); // stored compressed
        if (streaming)
        {
            Assert.True(updates.Count > 2);
            Assert.All(updates, u => Assert.InRange(u.Text.Length, 0, ResponseCachingChatClient.ReplayChunkLength));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_hit_of_a_fallback_answer_still_names_the_requested_model(bool streaming)
    {
        var inner = new FakeChatClient
        {
            Respond = (_, _, _, _) => FakeStreams.Updates(
                new ChatResponseUpdate(ChatRole.Assistant, "from b") { ModelId = "b", AdditionalProperties = new() { [FallbackChatClient.FallbackFromProperty] = "a" } },
                new ChatResponseUpdate { ModelId = "b", FinishReason = ChatFinishReason.Stop, AdditionalProperties = new() { [FallbackChatClient.FallbackFromProperty] = "a" } }),
        };
        var client = new ResponseCachingChatClient(inner, null, _time);

        await ChatRun.AskAsync(client, streaming, Ask("q"));
        var (hit, updates) = await ChatRun.AskAsync(client, streaming, Ask("q"));

        Assert.Equal(1, inner.Calls);
        Assert.Equal("b", hit.ModelId);
        Assert.Equal("a", hit.AdditionalProperties?[FallbackChatClient.FallbackFromProperty]);
        Assert.All(updates, u => Assert.Equal("a", u.AdditionalProperties?[FallbackChatClient.FallbackFromProperty]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_different_earlier_message_is_a_miss(bool streaming)
    {
        var (inner, client) = Create();

        await ChatRun.AskAsync(client, streaming, Ask("same prompt", earlier: "conversation A"));
        var (other, _) = await ChatRun.AskAsync(client, streaming, Ask("same prompt", earlier: "conversation B"));

        Assert.Equal(2, inner.Calls);
        Assert.Equal("answer 2", other.Text);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Entries_expire_after_the_time_to_live(bool streaming)
    {
        var (inner, client) = Create(new CacheOptions { TimeToLive = TimeSpan.FromMinutes(1) });

        await ChatRun.AskAsync(client, streaming, Ask("q"));
        _time.Advance(TimeSpan.FromSeconds(59));
        await ChatRun.AskAsync(client, streaming, Ask("q"));
        Assert.Equal(1, inner.Calls);

        _time.Advance(TimeSpan.FromSeconds(1));
        var (fresh, _) = await ChatRun.AskAsync(client, streaming, Ask("q"));
        Assert.Equal(2, inner.Calls);
        Assert.Equal("answer 2", fresh.Text);
    }

    [Theory]
    [InlineData(false, "What's the WEATHER like?")]
    [InlineData(true, "any news about the launch")]
    [InlineData(false, "what is the price of gold")]
    [InlineData(true, "what are we doing this  week")]
    [InlineData(false, "Who is the current champion?")]
    public async Task Time_sensitive_prompts_bypass_the_cache(bool streaming, string prompt)
    {
        var (inner, client) = Create();

        await ChatRun.AskAsync(client, streaming, Ask(prompt));
        await ChatRun.AskAsync(client, streaming, Ask(prompt));

        Assert.Equal(2, inner.Calls);
        Assert.Equal(0, client.Cache.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Time_words_inside_other_words_or_in_earlier_messages_do_not_bypass(bool streaming)
    {
        var (inner, client) = Create();

        await ChatRun.AskAsync(client, streaming, Ask("it is nowhere to be found, a newsletter", earlier: "what is the weather today"));
        await ChatRun.AskAsync(client, streaming, Ask("it is nowhere to be found, a newsletter", earlier: "what is the weather today"));

        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task Configured_patterns_replace_the_defaults_and_can_be_disabled()
    {
        var (inner, client) = Create(new CacheOptions { TimeSensitivePatterns = [@"\bstock\b"] });
        await ChatRun.AskAsync(client, false, Ask("the weather"));
        await ChatRun.AskAsync(client, false, Ask("the weather"));
        await ChatRun.AskAsync(client, false, Ask("the Stock"));
        await ChatRun.AskAsync(client, false, Ask("the Stock"));
        Assert.Equal(3, inner.Calls);

        var (inner2, client2) = Create(new CacheOptions { BypassTimeSensitive = false });
        await ChatRun.AskAsync(client2, false, Ask("the weather today"));
        await ChatRun.AskAsync(client2, false, Ask("the weather today"));
        Assert.Equal(1, inner2.Calls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Configured_guilds_bypass_the_cache_whatever_the_id_type(bool streaming)
    {
        var (inner, client) = Create(new CacheOptions { BypassGuildIds = [1234567890123456789] });

        foreach (var id in new object[] { 1234567890123456789UL, "1234567890123456789" })
        {
            var options = new ChatOptions { AdditionalProperties = new() { [ResponseCachingChatClient.GuildIdProperty] = id } };
            await ChatRun.AskAsync(client, streaming, Ask("q"), options);
            await ChatRun.AskAsync(client, streaming, Ask("q"), options);
        }

        Assert.Equal(4, inner.Calls);

        var other = new ChatOptions { AdditionalProperties = new() { [ResponseCachingChatClient.GuildIdProperty] = 99UL } };
        await ChatRun.AskAsync(client, streaming, Ask("q"), other);
        await ChatRun.AskAsync(client, streaming, Ask("q"), other);
        Assert.Equal(5, inner.Calls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Failed_answers_are_not_stored(bool streaming)
    {
        var inner = new FakeChatClient
        {
            Respond = (call, _, _, _) => call == 1
                ? FakeStreams.TextThenFail(FakeStreams.Error(LlmFailureKind.ProviderUnavailable), "partial")
                : CacheTestStreams.Stop("good"),
        };
        var client = new ResponseCachingChatClient(inner, null, _time);

        await Assert.ThrowsAsync<LlmProviderException>(() => ChatRun.AskAsync(client, streaming, Ask("q")));
        var (second, _) = await ChatRun.AskAsync(client, streaming, Ask("q"));
        var (third, _) = await ChatRun.AskAsync(client, streaming, Ask("q"));

        Assert.Equal(2, inner.Calls);
        Assert.Equal("good", second.Text);
        Assert.Equal("good", third.Text);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Answers_without_a_stop_reason_or_with_tool_calls_are_not_stored(bool streaming)
    {
        var inner = new FakeChatClient
        {
            Respond = (call, _, _, _) => call switch
            {
                1 => CacheTestStreams.Answer("m", null, 1, 1, "no finish reason"),
                2 => CacheTestStreams.Answer("m", ChatFinishReason.ContentFilter, 1, 1, "filtered"),
                _ => FakeStreams.Updates(new ChatResponseUpdate(ChatRole.Assistant, [new FunctionCallContent("c", "tool")]) { FinishReason = ChatFinishReason.Stop }),
            },
        };
        var client = new ResponseCachingChatClient(inner, null, _time);

        for (var i = 0; i < 4; i++)
        {
            await ChatRun.AskAsync(client, streaming, Ask("q"));
        }

        Assert.Equal(4, inner.Calls);
        Assert.Equal(0, client.Cache.Count);
    }

    [Fact]
    public async Task A_stream_the_caller_stopped_reading_is_not_stored()
    {
        var (inner, client) = Create();
        await foreach (var update in client.GetStreamingResponseAsync(Ask("q"), null, TestContext.Current.CancellationToken))
        {
            break;
        }

        await ChatRun.AskAsync(client, true, Ask("q"));
        Assert.Equal(2, inner.Calls);
        Assert.Equal(1, client.Cache.Count); // the complete second answer was stored
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Inputs_are_enumerated_once_and_options_are_not_modified(bool streaming)
    {
        var (inner, client) = Create();
        var options = new ChatOptions { ModelId = "m", Temperature = 0.1f };

        await ChatRun.AskAsync(client, streaming, new EnumeratedOnce<ChatMessage>(Ask("q")), options);
        await ChatRun.AskAsync(client, streaming, new EnumeratedOnce<ChatMessage>(Ask("q")), options);

        Assert.Equal(1, inner.Calls);
        Assert.Null(options.AdditionalProperties);
        Assert.Equal("m", options.ModelId);
    }

    [Fact]
    public async Task Disabled_cache_passes_everything_through()
    {
        var (inner, client) = Create(new CacheOptions { Enabled = false });
        await ChatRun.AskAsync(client, true, Ask("q"));
        await ChatRun.AskAsync(client, false, Ask("q"));
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task Hits_misses_bypasses_stores_bytes_and_entries_are_measured()
    {
        using var metrics = new LlmMetrics();
        using var recorder = new MeasurementRecorder(metrics.Meter);
        var (_, client) = Create(metrics: metrics);

        await ChatRun.AskAsync(client, true, Ask("q"));
        await ChatRun.AskAsync(client, false, Ask("q"));
        await ChatRun.AskAsync(client, true, Ask("the news"));

        Assert.Equal(1, recorder.Of(CacheTelemetryConstants.Hits).Sum(m => m.Value));
        Assert.Equal(1, recorder.Of(CacheTelemetryConstants.Misses).Sum(m => m.Value));
        Assert.Equal(1, recorder.Of(CacheTelemetryConstants.Stores).Sum(m => m.Value));
        Assert.Equal("time_sensitive", Assert.Single(recorder.Of(CacheTelemetryConstants.Bypasses)).Tags[CacheTelemetryConstants.ReasonTag]);

        using var listener = new System.Diagnostics.Metrics.MeterListener();
        var observed = new Dictionary<string, long>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, _, _) => observed[i.Name] = v);
        listener.SetMeasurementEventCallback<int>((i, v, _, _) => observed[i.Name] = v);
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.Equal(client.Cache.Bytes, observed[CacheTelemetryConstants.Bytes]);
        Assert.Equal(1, observed[CacheTelemetryConstants.Entries]);
        Assert.Equal(0, observed[CacheTelemetryConstants.Evictions]);
    }

    [Theory]
    [InlineData("TimeToLive", "Llm:Cache:TimeToLive")]
    [InlineData("MaxBytes", "Llm:Cache:MaxBytes")]
    [InlineData("CompressionThreshold", "Llm:Cache:CompressionThreshold")]
    [InlineData("TimeSensitivePatterns", "Llm:Cache:TimeSensitivePatterns:1")]
    public void Invalid_settings_are_rejected_with_the_setting_named(string setting, string expected)
    {
        var options = new CacheOptions();
        switch (setting)
        {
            case "TimeToLive": options.TimeToLive = TimeSpan.Zero; break;
            case "MaxBytes": options.MaxBytes = 10; break;
            case "CompressionThreshold": options.CompressionThreshold = -1; break;
            case "TimeSensitivePatterns": options.TimeSensitivePatterns = [@"\bok\b", "(unclosed"]; break;
        }

        var ex = Assert.Throws<OptionsValidationException>(() => new ResponseCachingChatClient(new FakeChatClient(), options));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.True(new CacheOptionsValidator().Validate(null, new CacheOptions()).Succeeded);
    }
}
