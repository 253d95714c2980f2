using System.Net;
using System.Text;
using System.Text.Json;
using Cordial.Emulator.Llm;

namespace Cordial.Emulator.Tests.Llm;

public sealed class AnthropicMessagesTests
{
    [Fact]
    public async Task StreamFollowsTheAnthropicEventSequence()
    {
        await using var client = await LlmTestClient.StartAsync();
        using var response = await client.PostAnthropicAsync(LlmTestClient.AnthropicBody("sim-small", "hello over there", stream: true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = await LlmTestClient.ReadEventsAsync(response);

        // Every event's name matches the type inside its data.
        Assert.All(events, e => Assert.Equal(e.Name, e.Json().GetProperty("type").GetString()));
        var names = events.Select(e => e.Name).ToList();
        var deltas = names.Count(n => n == "content_block_delta");
        Assert.Equal(
            ["message_start", "ping", "content_block_start", .. Enumerable.Repeat("content_block_delta", deltas), "content_block_stop", "message_delta", "message_stop"],
            names);
        Assert.Equal(5, deltas); // "You said: hello over there" is five words

        var start = events[0].Json().GetProperty("message");
        Assert.Equal("assistant", start.GetProperty("role").GetString());
        Assert.Equal("sim-small", start.GetProperty("model").GetString());
        Assert.Equal(5, start.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal("text", events[2].Json().GetProperty("content_block").GetProperty("type").GetString());

        var text = string.Concat(events.Where(e => e.Name == "content_block_delta").Select(e =>
        {
            var delta = e.Json().GetProperty("delta");
            Assert.Equal("text_delta", delta.GetProperty("type").GetString());
            return delta.GetProperty("text").GetString();
        }));
        Assert.Equal("You said: hello over there", text);

        var messageDelta = events[^2].Json();
        Assert.Equal("end_turn", messageDelta.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal(5, messageDelta.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task NonStreamingAnswerHasTheMessageShape()
    {
        await using var client = await LlmTestClient.StartAsync();
        using var response = await client.PostAnthropicAsync(LlmTestClient.AnthropicBody("sim-large", "ping", stream: false));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await LlmTestClient.ReadJsonAsync(response);
        Assert.Equal("message", json.GetProperty("type").GetString());
        Assert.Equal("assistant", json.GetProperty("role").GetString());
        Assert.Equal("sim-large", json.GetProperty("model").GetString());
        var block = Assert.Single(json.GetProperty("content").EnumerateArray());
        Assert.Equal("text", block.GetProperty("type").GetString());
        Assert.Equal("You said: ping", block.GetProperty("text").GetString());
        Assert.Equal("end_turn", json.GetProperty("stop_reason").GetString());
        Assert.Equal(3, json.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal(3, json.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReasoningIsAThinkingBlockWithSignature(bool streaming)
    {
        await using var client = await LlmTestClient.StartAsync(o => o.DefaultBehavior = new LlmBehavior
        {
            TimeToFirstToken = TimeSpan.Zero,
            TokensPerSecond = 0,
            Reasoning = "Hmm, a greeting.",
        });
        using var response = await client.PostAnthropicAsync(LlmTestClient.AnthropicBody("sim-small", "hi", streaming));

        if (streaming)
        {
            var events = (await LlmTestClient.ReadEventsAsync(response)).Select(e => e.Json()).ToList();
            var starts = events.Where(e => e.GetProperty("type").GetString() == "content_block_start").ToList();
            Assert.Equal(["thinking", "text"], starts.Select(s => s.GetProperty("content_block").GetProperty("type").GetString()));
            var deltas = events.Where(e => e.GetProperty("type").GetString() == "content_block_delta").Select(e => e.GetProperty("delta")).ToList();
            Assert.Equal("Hmm, a greeting.", string.Concat(deltas.Where(d => d.GetProperty("type").GetString() == "thinking_delta").Select(d => d.GetProperty("thinking").GetString())));
            Assert.Single(deltas, d => d.GetProperty("type").GetString() == "signature_delta");
            Assert.Equal("You said: hi", string.Concat(deltas.Where(d => d.GetProperty("type").GetString() == "text_delta").Select(d => d.GetProperty("text").GetString())));
            Assert.All(events.Where(e => e.GetProperty("type").GetString() == "content_block_delta"),
                e => Assert.Equal(e.GetProperty("delta").GetProperty("type").GetString() == "text_delta" ? 1 : 0, e.GetProperty("index").GetInt32()));
        }
        else
        {
            var content = (await LlmTestClient.ReadJsonAsync(response)).GetProperty("content");
            Assert.Equal(2, content.GetArrayLength());
            Assert.Equal("thinking", content[0].GetProperty("type").GetString());
            Assert.Equal("Hmm, a greeting.", content[0].GetProperty("thinking").GetString());
            Assert.False(string.IsNullOrEmpty(content[0].GetProperty("signature").GetString()));
            Assert.Equal("You said: hi", content[1].GetProperty("text").GetString());
        }
    }

    [Fact]
    public async Task ContentBlocksSystemArrayAndImagesAreUnderstood()
    {
        await using var client = await LlmTestClient.StartAsync();
        const string body = """
            {
              "model": "sim-vision",
              "max_tokens": 300,
              "system": [{"type": "text", "text": "You are a bot.", "cache_control": {"type": "ephemeral"}}],
              "messages": [
                {"role": "user", "content": [
                  {"type": "image", "source": {"type": "base64", "media_type": "image/jpeg", "data": "/9j/4AAQ"}},
                  {"type": "image", "source": {"type": "url", "url": "https://cdn.example.com/a.png"}},
                  {"type": "text", "text": "What are these?"}
                ]}
              ],
              "thinking": {"type": "enabled", "budget_tokens": 1024},
              "metadata": {"user_id": "42"},
              "future_field": true
            }
            """;
        using var response = await client.PostAnthropicAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var recorded = Assert.Single(client.Emulator.Requests);
        Assert.Equal("anthropic", recorded.Endpoint);
        Assert.Equal(2, recorded.ImageCount);
        Assert.Equal("What are these?", recorded.LastUserText);
        Assert.Equal("2023-06-01", recorded.Headers["anthropic-version"]);
        var json = await LlmTestClient.ReadJsonAsync(response);
        Assert.Equal(7, json.GetProperty("usage").GetProperty("input_tokens").GetInt32());
    }

    [Fact]
    public async Task MaxTokensStopsWithMaxTokensReason()
    {
        await using var client = await LlmTestClient.StartAsync();
        var body = """{"model":"sim-small","max_tokens":2,"messages":[{"role":"user","content":"one two three"}]}""";
        using var response = await client.PostAnthropicAsync(body);
        var json = await LlmTestClient.ReadJsonAsync(response);

        Assert.Equal("max_tokens", json.GetProperty("stop_reason").GetString());
        Assert.Equal("You said:", json.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task MissingHeadersAreRejectedLikeAnthropic()
    {
        await using var client = await LlmTestClient.StartAsync();
        var body = LlmTestClient.AnthropicBody("sim-small", "hi", stream: false);

        using var noKey = new HttpRequestMessage(HttpMethod.Post, "v1/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        noKey.Headers.Add("anthropic-version", "2023-06-01");
        using var noKeyResponse = await client.Http.SendAsync(noKey, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, noKeyResponse.StatusCode);
        var error = await LlmTestClient.ReadJsonAsync(noKeyResponse);
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("authentication_error", error.GetProperty("error").GetProperty("type").GetString());

        using var noVersion = new HttpRequestMessage(HttpMethod.Post, "v1/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        noVersion.Headers.Add("x-api-key", "k");
        using var noVersionResponse = await client.Http.SendAsync(noVersion, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, noVersionResponse.StatusCode);
        Assert.Contains("anthropic-version", (await LlmTestClient.ReadJsonAsync(noVersionResponse)).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":"sim-small","messages":[{"role":"user","content":"hi"}]}""", "max_tokens")]
    [InlineData("""{"model":"sim-small","max_tokens":10,"messages":[{"role":"system","content":"hi"}]}""", "role")]
    [InlineData("""{"model":"sim-small","max_tokens":10,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"text/plain","data":"x"}}]}]}""", "media_type")]
    [InlineData("""{"model":"sim-small","max_tokens":10,"messages":[{"role":"user"}]}""", "content")]
    [InlineData("{\"model\":", "JSON")]
    public async Task MalformedRequestIsA400InTheAnthropicErrorShape(string body, string mentioned)
    {
        await using var client = await LlmTestClient.StartAsync();
        using var response = await client.PostAnthropicAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await LlmTestClient.ReadJsonAsync(response);
        Assert.Equal("error", json.GetProperty("type").GetString());
        Assert.Equal("invalid_request_error", json.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains(mentioned, json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownModelIsANotFoundError()
    {
        await using var client = await LlmTestClient.StartAsync();
        using var response = await client.PostAnthropicAsync(LlmTestClient.AnthropicBody("claude-none", "hi", stream: true));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = (await LlmTestClient.ReadJsonAsync(response)).GetProperty("error");
        Assert.Equal("not_found_error", error.GetProperty("type").GetString());
        Assert.Equal("model: claude-none", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task ModelsListHasTheAnthropicShapeWhenAskedWithAnthropicHeaders()
    {
        await using var client = await LlmTestClient.StartAsync();
        var json = await client.Http.GetFromJsonDocumentAsync("v1/models", ("anthropic-version", "2023-06-01"), ("x-api-key", "k"));

        Assert.False(json.GetProperty("has_more").GetBoolean());
        Assert.Equal("sim-small", json.GetProperty("first_id").GetString());
        Assert.All(json.GetProperty("data").EnumerateArray(), m => Assert.Equal("model", m.GetProperty("type").GetString()));
        Assert.Equal(JsonValueKind.Undefined, json.TryGetProperty("object", out var o) ? o.ValueKind : JsonValueKind.Undefined);
    }
}
