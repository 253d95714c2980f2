using System.Text.Json;
using Cordial.Llm.Configuration;
using Cordial.Llm.Providers;
using Microsoft.Extensions.AI;

namespace Cordial.Llm.Tests.Providers;

public sealed class OpenAIRequestWriterTests
{
    private static JsonElement Write(
        IReadOnlyList<ChatMessage> messages, ChatOptions? options = null, ModelOptions? model = null, ProviderOptions? provider = null, bool stream = false)
    {
        model ??= new ModelOptions { Provider = "p", ModelId = "m" };
        var customization = new RequestCustomization(provider ?? new ProviderOptions(), model);
        var body = OpenAIRequestWriter.Write("vendor/model-1", messages, options, model, customization, stream);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public void Writes_the_model_the_instructions_first_and_text_as_plain_strings()
    {
        var root = Write(
            [new ChatMessage(ChatRole.System, "be brief"), new ChatMessage(ChatRole.User, "hi \"there\" + <you>") { AuthorName = "user_42" }, new ChatMessage(ChatRole.Assistant, "hello")],
            new ChatOptions { Instructions = "You are Cordial." });

        Assert.Equal("vendor/model-1", root.GetProperty("model").GetString());
        var messages = root.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["system", "system", "user", "assistant"], messages.Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("You are Cordial.", messages[0].GetProperty("content").GetString());
        Assert.Equal(JsonValueKind.String, messages[2].GetProperty("content").ValueKind); // what every compatible server reads
        Assert.Equal("hi \"there\" + <you>", messages[2].GetProperty("content").GetString());
        Assert.Equal("user_42", messages[2].GetProperty("name").GetString());
        Assert.Equal("hello", messages[3].GetProperty("content").GetString());
        Assert.False(root.TryGetProperty("stream", out _));
        Assert.False(root.TryGetProperty("temperature", out _));
    }

    [Fact]
    public void A_name_the_api_would_refuse_is_left_out()
    {
        var root = Write([new ChatMessage(ChatRole.User, "hi") { AuthorName = "Ada Lovelace" }]);

        Assert.False(root.GetProperty("messages")[0].TryGetProperty("name", out _));
    }

    [Fact]
    public void Images_make_the_content_a_list_of_parts_with_the_image_as_a_data_url()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0xFB, 0xFF, 0x00, 0x3E];
        var root = Write([new ChatMessage(ChatRole.User, [
            new TextContent("what is this?"),
            new DataContent(png, "image/png"),
            new UriContent(new Uri("https://cdn.example/cat.webp?x=1"), "image/webp"),
            new DataContent(new byte[] { 1, 2 }, "application/pdf"), // not an image: not sent
        ])]);

        var parts = root.GetProperty("messages")[0].GetProperty("content").EnumerateArray().ToList();
        Assert.Equal(3, parts.Count);
        Assert.Equal("text", parts[0].GetProperty("type").GetString());
        Assert.Equal("what is this?", parts[0].GetProperty("text").GetString());
        Assert.Equal("image_url", parts[1].GetProperty("type").GetString());
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(png), parts[1].GetProperty("image_url").GetProperty("url").GetString());
        Assert.Equal("https://cdn.example/cat.webp?x=1", parts[2].GetProperty("image_url").GetProperty("url").GetString());
    }

    [Fact]
    public void Tool_calls_and_their_results_go_out_in_the_openai_shape()
    {
        var root = Write([
            new ChatMessage(ChatRole.User, "weather?"),
            new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_1", "weather", new Dictionary<string, object?> { ["city"] = "Oslo" })]),
            new ChatMessage(ChatRole.Tool, [new FunctionResultContent("call_1", "rain")]),
        ]);

        var messages = root.GetProperty("messages");
        var assistant = messages[1];
        Assert.False(assistant.TryGetProperty("content", out _)); // calls and no text: no content
        var call = assistant.GetProperty("tool_calls")[0];
        Assert.Equal("call_1", call.GetProperty("id").GetString());
        Assert.Equal("function", call.GetProperty("type").GetString());
        Assert.Equal("weather", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("Oslo", JsonDocument.Parse(call.GetProperty("function").GetProperty("arguments").GetString()!).RootElement.GetProperty("city").GetString());
        Assert.Equal("tool", messages[2].GetProperty("role").GetString());
        Assert.Equal("call_1", messages[2].GetProperty("tool_call_id").GetString());
        Assert.Equal("rain", messages[2].GetProperty("content").GetString());
    }

    [Fact]
    public void Options_tools_and_a_json_schema_become_request_fields()
    {
        var function = AIFunctionFactory.Create((string city) => "rain", "weather", "The weather in a city");
        var schema = JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"string"}}}""").RootElement;
        var root = Write(
            [new ChatMessage(ChatRole.User, "hi")],
            new ChatOptions
            {
                Temperature = 0.7f,
                MaxOutputTokens = 300,
                TopP = 0.9f,
                Seed = 7,
                StopSequences = ["END"],
                Tools = [function],
                ToolMode = ChatToolMode.RequireSpecific("weather"),
                AllowMultipleToolCalls = false,
                ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "answer", "The answer"),
            },
            stream: true);

        Assert.True(root.GetProperty("stream").GetBoolean());
        Assert.True(root.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Equal(0.7, root.GetProperty("temperature").GetDouble(), 5);
        Assert.Equal(300, root.GetProperty("max_completion_tokens").GetInt32());
        Assert.Equal(0.9, root.GetProperty("top_p").GetDouble(), 5);
        Assert.Equal(7, root.GetProperty("seed").GetInt64());
        Assert.Equal(["END"], root.GetProperty("stop").EnumerateArray().Select(s => s.GetString()));
        var tool = root.GetProperty("tools")[0];
        Assert.Equal("function", tool.GetProperty("type").GetString());
        Assert.Equal("weather", tool.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("The weather in a city", tool.GetProperty("function").GetProperty("description").GetString());
        Assert.Equal("string", tool.GetProperty("function").GetProperty("parameters").GetProperty("properties").GetProperty("city").GetProperty("type").GetString());
        Assert.Equal("weather", root.GetProperty("tool_choice").GetProperty("function").GetProperty("name").GetString());
        Assert.False(root.GetProperty("parallel_tool_calls").GetBoolean());
        var format = root.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.Equal("answer", format.GetProperty("json_schema").GetProperty("name").GetString());
        Assert.Equal("object", format.GetProperty("json_schema").GetProperty("schema").GetProperty("type").GetString());
    }

    [Fact]
    public void Configured_body_fields_replace_ours_and_a_json_null_removes_one()
    {
        var provider = new ProviderOptions { MaxTokensField = "max_tokens" };
        provider.Body["temperature"] = "0.1";
        provider.Body["seed"] = "null";
        provider.Body["provider"] = """{"order":["a"]}""";
        var model = new ModelOptions { Provider = "p", ModelId = "m", Temperature = 0.9, MaxOutputTokens = 50, ReasoningEffort = "High" };
        model.Parameters["top_k"] = "40";

        var root = Write([new ChatMessage(ChatRole.User, "hi")], new ChatOptions { Seed = 3, Temperature = 0.5f }, model, provider);

        Assert.Equal(1, root.EnumerateObject().Count(p => p.Name == "temperature")); // replaced, not repeated
        Assert.Equal(0.1, root.GetProperty("temperature").GetDouble(), 5);
        Assert.False(root.TryGetProperty("seed", out _));
        Assert.Equal(50, root.GetProperty("max_tokens").GetInt32());
        Assert.False(root.TryGetProperty("max_completion_tokens", out _));
        Assert.Equal("high", root.GetProperty("reasoning_effort").GetString());
        Assert.Equal(40, root.GetProperty("top_k").GetInt32());
        Assert.Equal("a", root.GetProperty("provider").GetProperty("order")[0].GetString());
    }
}
