using System.Text.Json;
using Cordial.Emulator.Llm;
using Cordial.Llm.Providers;
using Microsoft.Extensions.AI;

namespace Cordial.Llm.Tests.Providers;

public sealed class OpenAICompatibleChatClientTests
{
    internal static readonly byte[] TinyPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Answers_with_text_and_reports_the_configured_model_name(bool streaming)
    {
        await using var providers = await EmulatedProviders.StartAsync();

        var (response, updates) = await providers.AskAsync("small", streaming, "hello there friend");

        Assert.Equal(LlmEmulator.EchoPrefix + "hello there friend", response.Text);
        Assert.Equal("small", response.ModelId);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Empty(response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>());
        var request = providers.LastRequest;
        Assert.Equal("openai", request.Endpoint);
        Assert.Equal("sim-small", request.Model);
        Assert.Equal(streaming, request.Stream);
        if (streaming)
        {
            Assert.True(updates.Count >= 2, "text arrives as several updates");
            Assert.All(updates, u => Assert.Equal("small", u.ModelId));
            Assert.Equal("sim-small", updates[^1].AdditionalProperties?[ProviderResponseProperties.ProviderModelId]);

            // Stages that hold updates for a whole answer (coalescing, the cache) must not keep the SDK's chunks alive.
            Assert.All(updates, u => Assert.Null(u.RawRepresentation));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reports_usage_in_the_final_update(bool streaming)
    {
        await using var providers = await EmulatedProviders.StartAsync();
        ChatMessage[] messages = [new(ChatRole.System, "be brief"), new(ChatRole.User, "count these four words")];

        var (response, updates) = await providers.AskAsync("small", streaming, messages);

        var answerWords = response.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        Assert.NotNull(response.Usage);
        Assert.Equal(answerWords, response.Usage.OutputTokenCount);
        Assert.Equal(2 + 4, response.Usage.InputTokenCount);
        Assert.Equal(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);
        if (streaming)
        {
            Assert.Single(updates, u => u.Contents.OfType<UsageContent>().Any());
            Assert.Contains(updates[^1].Contents, c => c is UsageContent);
            Assert.NotNull(updates[^1].FinishReason);
            using var body = JsonDocument.Parse(providers.LastRequest.RawBody);
            Assert.True(body.RootElement.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Keeps_reasoning_apart_from_the_answer(bool streaming)
    {
        await using var providers = await EmulatedProviders.StartAsync();
        providers.Emulator.SetBehavior("sim-small", new LlmBehavior { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0, Reasoning = "first weigh the options carefully" });

        var (response, updates) = await providers.AskAsync("small", streaming, "pick one");

        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        var reasoning = string.Concat(contents.OfType<TextReasoningContent>().Select(r => r.Text));
        Assert.Equal("first weigh the options carefully", reasoning.Trim());
        Assert.Equal(LlmEmulator.EchoPrefix + "pick one", response.Text);
        Assert.DoesNotContain("weigh", response.Text, StringComparison.Ordinal);
        if (streaming)
        {
            Assert.DoesNotContain(updates, u => u.Contents.OfType<TextReasoningContent>().Any() && u.Contents.OfType<TextContent>().Any(t => t.Text.Contains("said", StringComparison.Ordinal)));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Tool_calls_round_trip(bool streaming)
    {
        await using var providers = await EmulatedProviders.StartAsync();
        providers.Emulator.ScriptToolCall("weather", "get_weather", """{"city":"Paris","days":3}""", "Sunny in Paris.");
        var tool = AIFunctionFactory.Create((string city, int days) => "sunny", "get_weather", "Gets the weather");
        var options = new ChatOptions { Tools = [tool] };
        List<ChatMessage> messages = [new(ChatRole.User, "what is the weather in Paris?")];

        var (first, _) = await providers.AskAsync("small", streaming, messages, options);

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("get_weather", call.Name);
        Assert.False(string.IsNullOrEmpty(call.CallId));
        Assert.Null(call.Exception);
        Assert.Equal("Paris", call.Arguments!["city"]?.ToString());
        Assert.Equal("3", call.Arguments!["days"]?.ToString());
        using (var sent = JsonDocument.Parse(providers.LastRequest.RawBody))
        {
            Assert.Equal("get_weather", sent.RootElement.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
        }

        messages.AddRange(first.Messages);
        messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, "sunny, 24 C")]));
        var (second, _) = await providers.AskAsync("small", streaming, messages, options);

        Assert.Equal("Sunny in Paris.", second.Text);
        Assert.Equal(ChatFinishReason.Stop, second.FinishReason);
        using var body = JsonDocument.Parse(providers.LastRequest.RawBody);
        var sentMessages = body.RootElement.GetProperty("messages").EnumerateArray().ToList();
        var assistant = sentMessages.Single(m => m.GetProperty("role").GetString() == "assistant");
        Assert.Equal(call.CallId, assistant.GetProperty("tool_calls")[0].GetProperty("id").GetString());
        var toolMessage = sentMessages.Single(m => m.GetProperty("role").GetString() == "tool");
        Assert.Equal(call.CallId, toolMessage.GetProperty("tool_call_id").GetString());
        Assert.Equal("sunny, 24 C", toolMessage.GetProperty("content").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sends_images_to_a_vision_model(bool streaming)
    {
        await using var providers = await EmulatedProviders.StartAsync();
        ChatMessage[] messages = [new(ChatRole.User, [new TextContent("what is this"), new DataContent(TinyPng, "image/png"), new UriContent(new Uri("https://example.com/cat.png"), "image/png")])];

        var (response, updates) = await providers.AskAsync("vision", streaming, messages);

        Assert.Equal(2, providers.LastRequest.ImageCount);
        Assert.Contains("data:image/png;base64,", providers.LastRequest.RawBody, StringComparison.Ordinal);
        Assert.False(response.AdditionalProperties?.ContainsKey(ProviderResponseProperties.ImagesDropped) ?? false);
        Assert.DoesNotContain(updates, u => u.AdditionalProperties?.ContainsKey(ProviderResponseProperties.ImagesDropped) ?? false);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Drops_images_for_a_model_without_vision_and_says_so(bool streaming)
    {
        await using var providers = await EmulatedProviders.StartAsync();
        ChatMessage[] messages = [new(ChatRole.User, [new TextContent("what is this"), new DataContent(TinyPng, "image/png")])];

        var (response, updates) = await providers.AskAsync("small", streaming, messages);

        Assert.Equal(0, providers.LastRequest.ImageCount);
        Assert.Equal(LlmEmulator.EchoPrefix + "what is this", response.Text);
        if (streaming)
        {
            Assert.Equal(1, updates[0].AdditionalProperties?[ProviderResponseProperties.ImagesDropped]);
        }
        else
        {
            Assert.Equal(1, response.AdditionalProperties?[ProviderResponseProperties.ImagesDropped]);
        }

        Assert.Single(messages[0].Contents, c => c is DataContent);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Extra_headers_body_and_model_parameters_reach_the_provider(bool streaming)
    {
        await using var providers = await EmulatedProviders.StartAsync(options =>
        {
            var provider = options.Providers["emu-openai"];
            provider.Headers["X-Title"] = "Cordial tests";
            provider.Body["provider"] = """{"order":["a","b"]}""";
            provider.Body["top_k"] = "10";
            var model = options.Models["small"];
            model.Parameters["top_k"] = "40";
            model.Parameters["user_tag"] = "plain words";
            model.Temperature = 0.25;
            model.MaxOutputTokens = 123;
            model.ReasoningEffort = "low";
        });

        await providers.AskAsync("small", streaming, "hi");

        var request = providers.LastRequest;
        Assert.Equal("Cordial tests", request.Headers["X-Title"]);
        Assert.Equal("Bearer " + EmulatedProviders.OpenAIKey, request.Headers["Authorization"]);
        using var body = JsonDocument.Parse(request.RawBody);
        var root = body.RootElement;
        Assert.Equal(40, root.GetProperty("top_k").GetInt32());
        Assert.Equal("plain words", root.GetProperty("user_tag").GetString());
        Assert.Equal(["a", "b"], root.GetProperty("provider").GetProperty("order").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0.25, root.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(123, root.GetProperty("max_completion_tokens").GetInt32());
        Assert.Equal("low", root.GetProperty("reasoning_effort").GetString());
    }

    [Fact]
    public async Task A_request_option_wins_over_the_model_default_and_max_tokens_can_be_renamed()
    {
        await using var providers = await EmulatedProviders.StartAsync(options =>
        {
            options.Providers["emu-openai"].MaxTokensField = "max_tokens";
            options.Models["small"].Temperature = 0.25;
            options.Models["small"].MaxOutputTokens = 123;
        });

        await providers.AskAsync("small", streaming: false, "hi", new ChatOptions { Temperature = 1.5f, MaxOutputTokens = 77 });

        using var body = JsonDocument.Parse(providers.LastRequest.RawBody);
        Assert.Equal(1.5, body.RootElement.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(77, body.RootElement.GetProperty("max_tokens").GetInt32());
        Assert.False(body.RootElement.TryGetProperty("max_completion_tokens", out _));
    }

    [Fact]
    public async Task A_provider_without_a_key_sends_no_authorization_header()
    {
        await using var providers = await EmulatedProviders.StartAsync(options => options.Providers["emu-openai"].ApiKeyEnvironmentVariable = null);

        await providers.AskAsync("small", streaming: false, "hi");

        Assert.False(providers.LastRequest.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task Does_not_enumerate_the_messages_more_than_once()
    {
        await using var providers = await EmulatedProviders.StartAsync();
        var enumerations = 0;
        IEnumerable<ChatMessage> Messages()
        {
            enumerations++;
            yield return new ChatMessage(ChatRole.User, "once only");
        }

        await foreach (var _ in providers.Client("small").GetStreamingResponseAsync(Messages(), cancellationToken: TestContext.Current.CancellationToken))
        {
        }

        await providers.Client("small").GetResponseAsync(Messages(), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(2, enumerations);
    }
}
