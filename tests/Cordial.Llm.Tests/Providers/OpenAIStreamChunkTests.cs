using System.Text;
using System.Text.Json;
using Cordial.Llm.Providers;

namespace Cordial.Llm.Tests.Providers;

public sealed class OpenAIStreamChunkTests
{
    private static OpenAIStreamChunk Parse(string json) => OpenAIStreamChunk.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Reads_the_first_choices_text_and_the_chunks_ids()
    {
        var chunk = Parse("""
            {"id":"c1","object":"chat.completion.chunk","created":1700000000,"model":"vendor/model","system_fingerprint":"fp",
             "choices":[{"index":0,"delta":{"role":"assistant","content":"Hel\u006co \"there\""},"logprobs":null,"finish_reason":null}]}
            """);

        Assert.Equal("c1", chunk.Id);
        Assert.Equal("vendor/model", chunk.Model);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), chunk.CreatedAt);
        Assert.Equal("Hello \"there\"", chunk.Content);
        Assert.Null(chunk.FinishReason);
        Assert.Null(chunk.Reasoning);
        Assert.Null(chunk.ToolCalls);
        Assert.Null(chunk.Usage);
    }

    [Fact]
    public void Skips_the_ids_a_reader_already_has_but_reads_everything_else()
    {
        var chunk = OpenAIStreamChunk.Parse(
            Encoding.UTF8.GetBytes("""
                {"id":"c1","created":1700000000,"model":"vendor/model","choices":[{"index":0,"delta":{"content":"more"},"finish_reason":"stop"}]}
                """),
            skipIdentity: true);

        Assert.Null(chunk.Id);
        Assert.Null(chunk.Model);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), chunk.CreatedAt);
        Assert.Equal("more", chunk.Content);
        Assert.Equal("stop", chunk.FinishReason);
    }

    [Fact]
    public void Reads_usage_with_its_details_from_the_last_chunk()
    {
        var chunk = Parse("""
            {"id":"c1","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":30,"total_tokens":42,
             "prompt_tokens_details":{"cached_tokens":8,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":20,"accepted_prediction_tokens":0}}}
            """);

        Assert.NotNull(chunk.Usage);
        Assert.Equal(12, chunk.Usage.InputTokenCount);
        Assert.Equal(30, chunk.Usage.OutputTokenCount);
        Assert.Equal(42, chunk.Usage.TotalTokenCount);
        Assert.Equal(8, chunk.Usage.CachedInputTokenCount);
        Assert.Equal(20, chunk.Usage.ReasoningTokenCount);
        Assert.Null(chunk.Content);
    }

    [Fact]
    public void Reads_tool_call_pieces_in_order()
    {
        var chunk = Parse("""
            {"choices":[{"index":0,"delta":{"tool_calls":[
              {"index":0,"id":"call_a","type":"function","function":{"name":"lookup","arguments":"{\"q\":"}},
              {"index":1,"function":{"arguments":"\"x\"}"}}]},"finish_reason":"tool_calls"}]}
            """);

        Assert.NotNull(chunk.ToolCalls);
        Assert.Collection(
            chunk.ToolCalls,
            first => Assert.Equal((0, "call_a", "lookup", "{\"q\":"), (first.Index, first.Id, first.Name, first.Arguments)),
            second => Assert.Equal((1, (string?)null, (string?)null, "\"x\"}"), (second.Index, second.Id, second.Name, second.Arguments)));
        Assert.Equal("tool_calls", chunk.FinishReason);
    }

    [Theory]
    [InlineData("""{"choices":[{"delta":{"reasoning_content":"think"}}]}""", "think")]
    [InlineData("""{"choices":[{"delta":{"reasoning":"think"}}]}""", "think")]
    [InlineData("""{"choices":[{"delta":{"reasoning_content":null,"reasoning":"think"}}]}""", "think")]
    [InlineData("""{"choices":[{"delta":{"reasoning":{"effort":"high"}}}]}""", null)]
    public void Reads_reasoning_under_either_name_and_only_as_text(string json, string? expected) =>
        Assert.Equal(expected, Parse(json).Reasoning);

    [Fact]
    public void Skips_what_it_does_not_know_however_deep_and_ignores_later_choices()
    {
        var chunk = Parse("""
            {"extra":{"a":[1,{"b":[{"content":"not this"}]}],"c":null},"choices":[
              {"index":0,"delta":{"content":"this","annotations":[{"content":"nor this"}]},"finish_reason":"stop"},
              {"index":1,"delta":{"content":"second choice"},"finish_reason":"length"}],"model":"m"}
            """);

        Assert.Equal("this", chunk.Content);
        Assert.Equal("stop", chunk.FinishReason);
        Assert.Equal("m", chunk.Model);
    }

    [Theory]
    [InlineData("""{"choices":null}""")]
    [InlineData("""{"choices":[]}""")]
    [InlineData("""{"choices":[{"delta":{"content":null}}],"created":0}""")]
    [InlineData("""{"error":{"message":"overloaded","type":"server_error"}}""")]
    public void A_chunk_with_nothing_to_show_reads_as_empty(string json)
    {
        var chunk = Parse(json);

        Assert.Null(chunk.Content);
        Assert.Null(chunk.FinishReason);
        Assert.Null(chunk.CreatedAt);
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("""{"choices":"nope"}""")]
    [InlineData("""{"choices":[{"delta":{"content":"cut""")]
    [InlineData("not json")]
    public void A_payload_that_is_not_a_chunk_is_refused(string json) =>
        Assert.ThrowsAny<JsonException>(() => Parse(json));

    [Fact]
    public void Reads_a_whole_completion_whose_message_has_the_fields_of_a_delta()
    {
        var completion = Parse("""
            {"id":"c9","object":"chat.completion","created":1700000000,"model":"vendor/model",
             "choices":[{"index":0,"message":{"role":"assistant","content":"done","reasoning_content":"thought",
               "tool_calls":[{"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Oslo\"}"}}]},
               "finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}}
            """);

        Assert.True(completion.HasChoice);
        Assert.Equal("c9", completion.Id);
        Assert.Equal("done", completion.Content);
        Assert.Equal("thought", completion.Reasoning);
        Assert.Equal("tool_calls", completion.FinishReason);
        var call = Assert.Single(completion.ToolCalls!);
        Assert.Equal(("call_1", "weather", "{\"city\":\"Oslo\"}"), (call.Id, call.Name, call.Arguments));
        Assert.Equal(12, completion.Usage?.TotalTokenCount);
    }

    [Theory]
    [InlineData("""{"id":"c1","choices":[]}""")]
    [InlineData("""{"id":"c1","choices":null,"usage":{"total_tokens":3}}""")]
    [InlineData("""{"unexpected":true}""")]
    public void Says_when_there_was_no_choice(string json) => Assert.False(Parse(json).HasChoice);
}
