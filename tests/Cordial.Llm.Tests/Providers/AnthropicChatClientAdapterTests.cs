using System.Net;
using System.Text.Json;
using Cordial.Emulator.Llm;
using Cordial.Llm.Providers;
using Microsoft.Extensions.AI;

namespace Cordial.Llm.Tests.Providers;

public sealed class AnthropicChatClientAdapterTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Answers_with_text_usage_and_the_configured_model_name(bool streaming)
    {
        await using var providers = await EmulatedProviders.StartAsync();

        var (response, updates) = await providers.AskAsync("claude", streaming, "hello from the tests");

        Assert.Equal(LlmEmulator.EchoPrefix + "hello from the tests", response.Text);
        Assert.Equal("claude", response.ModelId);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.NotNull(response.Usage);
        Assert.Equal(response.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length, response.Usage.OutputTokenCount);
        Assert.Equal(4, response.Usage.InputTokenCount);
        var request = providers.LastRequest;
        Assert.Equal("anthropic", request.Endpoint);
        Assert.Equal("sim-large", request.Model);
        Assert.Equal(streaming, request.Stream);
        // The SDK decides how the key travels (13.12 sends it as a bearer token); either way it must arrive.
        Assert.True(
            request.Headers.GetValueOrDefault("x-api-key") == EmulatedProviders.AnthropicKey ||
            request.Headers.GetValueOrDefault("Authorization") == "Bearer " + EmulatedProviders.AnthropicKey,
            "the API key reaches the provider");
        if (streaming)
        {
            Assert.True(updates.Count >= 2);
            Assert.All(updates, u => Assert.Equal("claude", u.ModelId));
            Assert.Single(updates, u => u.Contents.OfType<UsageContent>().Any());
            Assert.Contains(updates[^1].Contents, c => c is UsageContent);
            Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
            Assert.Equal("sim-large", updates[^1].AdditionalProperties?[ProviderResponseProperties.ProviderModelId]);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Thinking_arrives_as_reasoning_apart_from_the_answer(bool streaming)
    {
        await using var providers = await EmulatedProviders.StartAsync(options => options.Models["claude"].ReasoningEffort = "medium");
        providers.Emulator.SetBehavior("sim-large", new LlmBehavior { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0, Reasoning = "the user wants a greeting" });

        var (response, _) = await providers.AskAsync("claude", streaming, "greet me");

        var reasoning = string.Concat(response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Select(r => r.Text));
        Assert.Equal("the user wants a greeting", reasoning.Trim());
        Assert.Equal(LlmEmulator.EchoPrefix + "greet me", response.Text);
        using var body = JsonDocument.Parse(providers.LastRequest.RawBody);
        Assert.True(body.RootElement.TryGetProperty("thinking", out _), "a reasoning effort switches thinking on");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Extra_headers_body_and_model_defaults_reach_the_provider(bool streaming)
    {
        await using var providers = await EmulatedProviders.StartAsync(options =>
        {
            options.Providers["emu-anthropic"].Headers["anthropic-beta"] = "test-beta-1";
            options.Providers["emu-anthropic"].Body["metadata"] = """{"user_id":"u-1"}""";
            options.Models["claude"].Parameters["top_k"] = "5";
            options.Models["claude"].MaxOutputTokens = 321;
        });

        await providers.AskAsync("claude", streaming, "hi");

        var request = providers.LastRequest;
        Assert.Contains("test-beta-1", request.Headers["anthropic-beta"], StringComparison.Ordinal);
        using var body = JsonDocument.Parse(request.RawBody);
        var root = body.RootElement;
        Assert.Equal("u-1", root.GetProperty("metadata").GetProperty("user_id").GetString());
        Assert.Equal(5, root.GetProperty("top_k").GetInt32());
        Assert.Equal(321, root.GetProperty("max_tokens").GetInt32());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Tool_calls_round_trip(bool streaming)
    {
        await using var providers = await EmulatedProviders.StartAsync();
        providers.Emulator.ScriptToolCall("time", "get_time", """{"zone":"UTC"}""", "It is noon.");
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create((string zone) => "12:00", "get_time", "Gets the time")] };
        List<ChatMessage> messages = [new(ChatRole.User, "what time is it?")];

        var (first, _) = await providers.AskAsync("claude", streaming, messages, options);

        var call = Assert.Single(first.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("get_time", call.Name);
        Assert.Equal("UTC", call.Arguments!["zone"]?.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);

        messages.AddRange(first.Messages);
        messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, "12:00")]));
        var (second, _) = await providers.AskAsync("claude", streaming, messages, options);

        Assert.Equal("It is noon.", second.Text);
        Assert.Contains("tool_result", providers.LastRequest.RawBody, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Images_reach_a_vision_model_and_are_dropped_and_flagged_otherwise(bool streaming)
    {
        await using var providers = await EmulatedProviders.StartAsync();
        ChatMessage[] messages = [new(ChatRole.User, [new TextContent("look"), new DataContent(OpenAICompatibleChatClientTests.TinyPng, "image/png")])];

        var (withVision, _) = await providers.AskAsync("claude-vision", streaming, messages);
        Assert.Equal(1, providers.LastRequest.ImageCount);
        Assert.False(withVision.AdditionalProperties?.ContainsKey(ProviderResponseProperties.ImagesDropped) ?? false);

        var (withoutVision, updates) = await providers.AskAsync("claude", streaming, messages);
        Assert.Equal(0, providers.LastRequest.ImageCount);
        var flagged = streaming ? updates[0].AdditionalProperties : withoutVision.AdditionalProperties;
        Assert.Equal(1, flagged?[ProviderResponseProperties.ImagesDropped]);
    }

    [Theory]
    [InlineData("""{"unexpected":true}""", "application/json", false)]
    [InlineData("[1,2,3]", "application/json", false)]
    [InlineData("event: message_start\ndata: {\"nope\":1}\n\n", "text/event-stream", true)]
    [InlineData("event: content_block_delta\ndata: not json\n\n", "text/event-stream", true)]
    [InlineData("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"x\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":1,\"output_tokens\":0}}}\n\n", "text/event-stream", true)]
    public async Task Answers_of_the_wrong_shape_are_provider_failures(string body, string contentType, bool streaming)
    {
        await using var server = await RecordingServer.StartAsync(HttpStatusCode.OK, body, contentType);
        await using var providers = await EmulatedProviders.StartAsync(options => options.Providers["emu-anthropic"].BaseUrl = server.BaseAddress.ToString());

        var failure = await Assert.ThrowsAsync<LlmProviderException>(() => providers.AskAsync("claude", streaming, "hi"));

        Assert.Equal(LlmFailureKind.ProviderUnavailable, failure.Kind);
        Assert.Equal("claude", failure.Model);
    }
}
