using System.Text.Json;

namespace Cordial.Emulator.Tests.Llm;

public sealed class ToolCallTests
{
    private const string Arguments = """{"city":"Paris","unit":"celsius"}""";

    private const string OpenAiTools = ""","tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]""";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OpenAiToolCallRoundTrip(bool streaming)
    {
        await using var client = await LlmTestClient.StartAsync();
        client.Emulator.ScriptToolCall("weather", "get_weather", Arguments, "It is 21 degrees in Paris.");

        // First request: the model asks for the tool.
        var first = LlmTestClient.OpenAiBody("sim-small", "What's the weather in Paris?", streaming, OpenAiTools);
        using var response = await client.PostOpenAiAsync(first);
        string callId;
        string name;
        string arguments;
        string? finish;
        if (streaming)
        {
            var chunks = (await LlmTestClient.ReadEventsAsync(response)).Where(e => !e.IsDone).Select(e => e.Json()).ToList();
            var calls = chunks
                .Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
                .Where(d => d.TryGetProperty("tool_calls", out _))
                .Select(d => d.GetProperty("tool_calls")[0])
                .ToList();
            Assert.True(calls.Count > 1, "arguments arrive in several pieces");
            Assert.All(calls, c => Assert.Equal(0, c.GetProperty("index").GetInt32()));
            callId = calls[0].GetProperty("id").GetString()!;
            name = calls[0].GetProperty("function").GetProperty("name").GetString()!;
            Assert.All(calls.Skip(1), c => Assert.False(c.TryGetProperty("id", out _)));
            arguments = string.Concat(calls.Select(c => c.GetProperty("function").GetProperty("arguments").GetString()));
            finish = chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString();
        }
        else
        {
            var choice = (await LlmTestClient.ReadJsonAsync(response)).GetProperty("choices")[0];
            Assert.Equal(JsonValueKind.Null, choice.GetProperty("message").GetProperty("content").ValueKind);
            var call = Assert.Single(choice.GetProperty("message").GetProperty("tool_calls").EnumerateArray());
            Assert.Equal("function", call.GetProperty("type").GetString());
            callId = call.GetProperty("id").GetString()!;
            name = call.GetProperty("function").GetProperty("name").GetString()!;
            arguments = call.GetProperty("function").GetProperty("arguments").GetString()!;
            finish = choice.GetProperty("finish_reason").GetString();
        }

        Assert.Equal("tool_calls", finish);
        Assert.Equal("get_weather", name);
        Assert.False(string.IsNullOrEmpty(callId));
        Assert.Equal(Arguments, arguments);

        // Second request carries the tool result: the model answers.
        var second = $$$"""
            {"model":"sim-small","stream":{{{(streaming ? "true" : "false")}}},"messages":[
              {"role":"user","content":"What's the weather in Paris?"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"{{{callId}}}","type":"function","function":{"name":"get_weather","arguments":{{{JsonSerializer.Serialize(arguments)}}}}}]},
              {"role":"tool","tool_call_id":"{{{callId}}}","content":"21C"}
            ]{{{OpenAiTools}}}}
            """;
        using var answer = await client.PostOpenAiAsync(second);
        var text = streaming
            ? string.Concat((await LlmTestClient.ReadEventsAsync(answer)).Where(e => !e.IsDone).Select(e =>
                e.Json().GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var c) ? c.GetString() : ""))
            : (await LlmTestClient.ReadJsonAsync(answer)).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
        Assert.Equal("It is 21 degrees in Paris.", text);
    }

    [Fact]
    public async Task ToolIsNotCalledWhenTheRequestDoesNotOfferIt()
    {
        await using var client = await LlmTestClient.StartAsync();
        client.Emulator.ScriptToolCall("weather", "get_weather", Arguments, "unused");

        using var response = await client.PostOpenAiAsync(LlmTestClient.OpenAiBody("sim-small", "weather?", stream: false));
        var choice = (await LlmTestClient.ReadJsonAsync(response)).GetProperty("choices")[0];

        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal("You said: weather?", choice.GetProperty("message").GetProperty("content").GetString());
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task ToolChoiceNoneForbidsTheCall(string endpoint)
    {
        await using var client = await LlmTestClient.StartAsync();
        client.Emulator.ScriptToolCall("weather", "get_weather", Arguments, "unused");

        using var response = endpoint == "openai"
            ? await client.PostOpenAiAsync(LlmTestClient.OpenAiBody("sim-small", "weather?", stream: false, OpenAiTools + ""","tool_choice":"none" """))
            : await client.PostAnthropicAsync(LlmTestClient.AnthropicBody("sim-small", "weather?", stream: false,
                ""","tools":[{"name":"get_weather","input_schema":{"type":"object"}}],"tool_choice":{"type":"none"}"""));
        var json = await LlmTestClient.ReadJsonAsync(response);

        var text = endpoint == "openai"
            ? json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()
            : json.GetProperty("content")[0].GetProperty("text").GetString();
        Assert.Equal("You said: weather?", text);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AnthropicToolUseRoundTrip(bool streaming)
    {
        await using var client = await LlmTestClient.StartAsync();
        client.Emulator.ScriptToolCall("weather", "get_weather", Arguments, "It is 21 degrees in Paris.");
        const string tools = ""","tools":[{"name":"get_weather","description":"Weather","input_schema":{"type":"object"}}]""";

        using var response = await client.PostAnthropicAsync(LlmTestClient.AnthropicBody("sim-small", "weather in Paris?", streaming, tools));
        string id;
        string input;
        string stopReason;
        if (streaming)
        {
            var events = (await LlmTestClient.ReadEventsAsync(response)).Select(e => e.Json()).ToList();
            var start = Assert.Single(events, e => e.GetProperty("type").GetString() == "content_block_start").GetProperty("content_block");
            Assert.Equal("tool_use", start.GetProperty("type").GetString());
            Assert.Equal("get_weather", start.GetProperty("name").GetString());
            id = start.GetProperty("id").GetString()!;
            var pieces = events.Where(e => e.GetProperty("type").GetString() == "content_block_delta").Select(e => e.GetProperty("delta")).ToList();
            Assert.True(pieces.Count > 1, "input arrives in several pieces");
            Assert.All(pieces, p => Assert.Equal("input_json_delta", p.GetProperty("type").GetString()));
            input = string.Concat(pieces.Select(p => p.GetProperty("partial_json").GetString()));
            stopReason = events.Single(e => e.GetProperty("type").GetString() == "message_delta").GetProperty("delta").GetProperty("stop_reason").GetString()!;
        }
        else
        {
            var json = await LlmTestClient.ReadJsonAsync(response);
            var block = Assert.Single(json.GetProperty("content").EnumerateArray());
            Assert.Equal("tool_use", block.GetProperty("type").GetString());
            id = block.GetProperty("id").GetString()!;
            input = block.GetProperty("input").GetRawText();
            stopReason = json.GetProperty("stop_reason").GetString()!;
        }

        Assert.Equal("tool_use", stopReason);
        Assert.Equal(Arguments, input);

        var second = $$"""
            {"model":"sim-small","max_tokens":100,"stream":{{(streaming ? "true" : "false")}},"messages":[
              {"role":"user","content":"weather in Paris?"},
              {"role":"assistant","content":[{"type":"tool_use","id":"{{id}}","name":"get_weather","input":{{input}}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"{{id}}","content":"21C"}]}
            ]{{tools}}}
            """;
        using var answer = await client.PostAnthropicAsync(second);
        var text = streaming
            ? string.Concat((await LlmTestClient.ReadEventsAsync(answer)).Select(e => e.Json())
                .Where(e => e.GetProperty("type").GetString() == "content_block_delta")
                .Select(e => e.GetProperty("delta").GetProperty("text").GetString()))
            : (await LlmTestClient.ReadJsonAsync(answer)).GetProperty("content")[0].GetProperty("text").GetString();
        Assert.Equal("It is 21 degrees in Paris.", text);
    }
}
