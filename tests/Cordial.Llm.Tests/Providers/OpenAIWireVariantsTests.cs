using System.Net;
using Microsoft.Extensions.AI;

namespace Cordial.Llm.Tests.Providers;

/// <summary>Provider answers the emulator does not produce, played by a tiny server through the real OpenAI SDK.</summary>
public sealed class OpenAIWireVariantsTests
{
    private static async Task<(ChatResponse Response, List<ChatResponseUpdate> Updates)> AskAsync(string body, string contentType, bool streaming)
    {
        await using var server = await RecordingServer.StartAsync(HttpStatusCode.OK, body, contentType);
        await using var providers = await EmulatedProviders.StartAsync(options => options.Providers["emu-openai"].BaseUrl = server.BaseAddress + "v1/");
        return await providers.AskAsync("small", streaming, "hi");
    }

    private static string Sse(params string[] chunks) =>
        string.Concat(chunks.Select(c => $"data: {c}\n\n"));

    private const string Head = """{"id":"c1","object":"chat.completion.chunk","created":1700000000,"model":"vendor/model","choices":[{"index":0,"delta":""";

    [Fact]
    public async Task Reads_reasoning_sent_as_reasoning_when_streaming()
    {
        var body = Sse(
            Head + """{"role":"assistant","reasoning":"step one, "},"finish_reason":null}]}""",
            Head + """{"reasoning":"step two"},"finish_reason":null}]}""",
            Head + """{"content":"Answer."},"finish_reason":null}]}""",
            Head + """{},"finish_reason":"stop"}]}""",
            "[DONE]");

        var (response, _) = await AskAsync(body, "text/event-stream", streaming: true);

        Assert.Equal("Answer.", response.Text);
        Assert.Equal("step one, step two", string.Concat(response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Select(r => r.Text)));
    }

    [Fact]
    public async Task Reads_reasoning_sent_as_reasoning_without_streaming()
    {
        const string body = """
            {"id":"c1","object":"chat.completion","created":1700000000,"model":"vendor/model",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Answer.","reasoning":"thought it over"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}
            """;

        var (response, _) = await AskAsync(body, "application/json", streaming: false);

        Assert.Equal("Answer.", response.Text);
        Assert.Equal("thought it over", Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>()).Text);
        Assert.Equal(5, response.Usage?.TotalTokenCount);
        Assert.Equal("vendor/model", response.AdditionalProperties?[Cordial.Llm.Providers.ProviderResponseProperties.ProviderModelId]);
    }

    [Fact]
    public async Task Assembles_parallel_tool_calls_whose_arguments_arrive_in_pieces()
    {
        var body = Sse(
            Head + """{"role":"assistant","tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"lookup","arguments":""}}]},"finish_reason":null}]}""",
            Head + """{"tool_calls":[{"index":0,"function":{"arguments":"{\"q\":\"cats"}}]},"finish_reason":null}]}""",
            Head + """{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"lookup","arguments":"{\"q\":"}}]},"finish_reason":null}]}""",
            Head + """{"tool_calls":[{"index":0,"function":{"arguments":" and dogs\"}"}}]},"finish_reason":null}]}""",
            Head + """{"tool_calls":[{"index":1,"function":{"arguments":"\"birds\"}"}}]},"finish_reason":null}]}""",
            Head + """{},"finish_reason":"tool_calls"}]}""",
            "[DONE]");

        var (response, updates) = await AskAsync(body, "text/event-stream", streaming: true);

        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(["call_a", "call_b"], calls.Select(c => c.CallId));
        Assert.Equal(["cats and dogs", "birds"], calls.Select(c => c.Arguments!["q"]?.ToString()));
        Assert.Equal(ChatFinishReason.ToolCalls, updates[^1].FinishReason);
    }

    [Fact]
    public async Task A_stream_that_ends_before_a_finish_reason_is_a_provider_failure()
    {
        var body = Sse(
            Head + """{"role":"assistant","content":"Half an ans"},"finish_reason":null}]}""");

        var failure = await Assert.ThrowsAsync<LlmProviderException>(() => AskAsync(body, "text/event-stream", streaming: true));

        Assert.Equal(LlmFailureKind.ProviderUnavailable, failure.Kind);
        Assert.Equal("small", failure.Model);
        Assert.Contains("ended before the model finished", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"id":"c1","object":"chat.completion","created":1,"model":"m","choices":[]}""", "application/json", false)]
    [InlineData("""{"unexpected":true}""", "application/json", false)]
    [InlineData("""[1,2,3]""", "application/json", false)]
    [InlineData("data: {\"choices\":\"nope\"}\n\ndata: [DONE]\n\n", "text/event-stream", true)]
    [InlineData("data: [1,2]\n\n", "text/event-stream", true)]
    [InlineData("<html>gateway says hi</html>", "text/html", true)]
    public async Task Answers_of_the_wrong_shape_are_provider_failures(string body, string contentType, bool streaming)
    {
        var failure = await Assert.ThrowsAsync<LlmProviderException>(() => AskAsync(body, contentType, streaming));

        Assert.Equal(LlmFailureKind.ProviderUnavailable, failure.Kind);
        Assert.Equal("small", failure.Model);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_pipeline_model_name_in_chat_options_never_reaches_the_provider(bool streaming)
    {
        await using var providers = await EmulatedProviders.StartAsync();

        await providers.AskAsync("small", streaming, [new ChatMessage(ChatRole.User, "hi")], new ChatOptions { ModelId = "small" });
        Assert.Equal("sim-small", providers.LastRequest.Model);

        await providers.AskAsync("claude", streaming, [new ChatMessage(ChatRole.User, "hi")], new ChatOptions { ModelId = "claude" });
        Assert.Equal("sim-large", providers.LastRequest.Model);
    }
}
