using System.Net;
using System.Text;
using System.Text.Json;
using Cordial.Emulator.Llm;

namespace Cordial.Emulator.Tests.Llm;

public sealed class OpenAiChatCompletionsTests
{
    [Fact]
    public async Task NonStreamingAnswerEchoesTheLastUserTextWithUsage()
    {
        await using var client = await LlmTestClient.StartAsync();
        using var response = await client.PostOpenAiAsync(LlmTestClient.OpenAiBody("sim-small", "hello there friend", stream: false));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await LlmTestClient.ReadJsonAsync(response);
        Assert.Equal("chat.completion", json.GetProperty("object").GetString());
        Assert.Equal("sim-small", json.GetProperty("model").GetString());
        Assert.StartsWith("chatcmpl-", json.GetProperty("id").GetString(), StringComparison.Ordinal);
        var choice = json.GetProperty("choices")[0];
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal("You said: hello there friend", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        var usage = json.GetProperty("usage");
        Assert.Equal(5, usage.GetProperty("prompt_tokens").GetInt32()); // "Be brief." + "hello there friend"
        Assert.Equal(5, usage.GetProperty("completion_tokens").GetInt32()); // "You said: hello there friend"
        Assert.Equal(10, usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task StreamedChunksConcatenateToTheAnswerAndEndWithDone()
    {
        await using var client = await LlmTestClient.StartAsync();
        using var response = await client.PostOpenAiAsync(LlmTestClient.OpenAiBody("sim-small", "  tell me  a story ", stream: true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = await LlmTestClient.ReadEventsAsync(response);

        Assert.True(events[^1].IsDone);
        var chunks = events[..^1].Select(e => e.Json()).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());

        var text = new StringBuilder();
        var contentChunks = 0;
        foreach (var chunk in chunks)
        {
            if (chunk.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var content) && content.GetString() is { Length: > 0 } piece)
            {
                text.Append(piece);
                contentChunks++;
            }
        }

        Assert.Equal("You said:   tell me  a story ", text.ToString());
        Assert.Equal(6, contentChunks); // one chunk per word
        Assert.Equal("stop", chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.All(chunks[..^1], c => Assert.Equal(JsonValueKind.Null, c.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind));
        Assert.DoesNotContain(chunks, c => c.TryGetProperty("usage", out _));
    }

    [Fact]
    public async Task IncludeUsageAddsAFinalChunkWithEmptyChoicesAndUsage()
    {
        await using var client = await LlmTestClient.StartAsync();
        var body = LlmTestClient.OpenAiBody("sim-large", "one two three", stream: true, extra: ""","stream_options":{"include_usage":true}""");
        using var response = await client.PostOpenAiAsync(body);
        var events = await LlmTestClient.ReadEventsAsync(response);

        Assert.True(events[^1].IsDone);
        var last = events[^2].Json();
        Assert.Equal(0, last.GetProperty("choices").GetArrayLength());
        var usage = last.GetProperty("usage");
        Assert.Equal(5, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(5, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(10, usage.GetProperty("total_tokens").GetInt32());
        Assert.All(events[..^2], e => Assert.Equal(JsonValueKind.Null, e.Json().GetProperty("usage").ValueKind));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReasoningArrivesSeparatelyFromTheAnswer(bool streaming)
    {
        await using var client = await LlmTestClient.StartAsync();
        client.Emulator.SetBehavior("sim-large", new LlmBehavior
        {
            TimeToFirstToken = TimeSpan.Zero,
            TokensPerSecond = 0,
            Reasoning = "Let me think about this carefully.",
        });
        using var response = await client.PostOpenAiAsync(LlmTestClient.OpenAiBody("sim-large", "why", streaming));

        string reasoning;
        string content;
        if (streaming)
        {
            var chunks = (await LlmTestClient.ReadEventsAsync(response)).Where(e => !e.IsDone).Select(e => e.Json()).ToList();
            var deltas = chunks.Select(c => c.GetProperty("choices")[0].GetProperty("delta")).ToList();
            reasoning = string.Concat(deltas.Select(d => d.TryGetProperty("reasoning_content", out var r) ? r.GetString() : ""));
            content = string.Concat(deltas.Select(d => d.TryGetProperty("content", out var c) ? c.GetString() : ""));
            Assert.DoesNotContain(deltas, d => d.TryGetProperty("reasoning_content", out _) && d.TryGetProperty("content", out _));
            var lastReasoning = deltas.FindLastIndex(d => d.TryGetProperty("reasoning_content", out _));
            var firstText = deltas.FindIndex(d => d.TryGetProperty("content", out var c) && c.GetString()!.Length > 0);
            Assert.True(lastReasoning < firstText, "reasoning comes before the answer");
        }
        else
        {
            var message = (await LlmTestClient.ReadJsonAsync(response)).GetProperty("choices")[0].GetProperty("message");
            reasoning = message.GetProperty("reasoning_content").GetString()!;
            content = message.GetProperty("content").GetString()!;
        }

        Assert.Equal("Let me think about this carefully.", reasoning);
        Assert.Equal("You said: why", content);
    }

    [Fact]
    public async Task FillerAnswersTheConfiguredNumberOfDeterministicWords()
    {
        await using var client = await LlmTestClient.StartAsync(o => o.DefaultBehavior = new LlmBehavior
        {
            TimeToFirstToken = TimeSpan.Zero,
            TokensPerSecond = 0,
            Answer = LlmAnswerMode.Filler,
            FillerTokens = 37,
        });

        var answers = new List<string>();
        foreach (var question in new[] { "first question", "a completely different one" })
        {
            using var response = await client.PostOpenAiAsync(LlmTestClient.OpenAiBody("sim-small", question, stream: false));
            var json = await LlmTestClient.ReadJsonAsync(response);
            answers.Add(json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!);
            Assert.Equal(37, json.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        }

        Assert.Equal(37, answers[0].Split(' ').Length);
        Assert.Equal(answers[0], answers[1]);
    }

    [Theory]
    [InlineData("max_tokens")]
    [InlineData("max_completion_tokens")]
    public async Task MaxTokensCutsTheAnswerWithFinishReasonLength(string field)
    {
        await using var client = await LlmTestClient.StartAsync();
        using var response = await client.PostOpenAiAsync(
            LlmTestClient.OpenAiBody("sim-small", "a b c d e f", stream: false, extra: $",\"{field}\":3"));
        var choice = (await LlmTestClient.ReadJsonAsync(response)).GetProperty("choices")[0];

        Assert.Equal("You said: a", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task ScriptsAnswerInOrderAndScriptedModeReportsNoMatch()
    {
        await using var client = await LlmTestClient.StartAsync(o => o.DefaultBehavior = new LlmBehavior
        {
            TimeToFirstToken = TimeSpan.Zero,
            TokensPerSecond = 0,
            Answer = LlmAnswerMode.Scripted,
        });
        client.Emulator.Script("weather", "It is sunny.");
        client.Emulator.Script("weather today", "Never chosen: the earlier script matches first.");

        async Task<string> AskAsync(string text)
        {
            using var response = await client.PostOpenAiAsync(LlmTestClient.OpenAiBody("sim-small", text, stream: true));
            var chunks = (await LlmTestClient.ReadEventsAsync(response)).Where(e => !e.IsDone).Select(e => e.Json());
            return string.Concat(chunks.Select(c =>
                c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var p) ? p.GetString() : ""));
        }

        Assert.Equal("It is sunny.", await AskAsync("How is the WEATHER today?"));
        Assert.Equal(LlmEmulator.NoScriptAnswer, await AskAsync("Tell me a joke"));
    }

    [Fact]
    public async Task FullRequestShapeIsAcceptedAndImagesAreCountedAndRecorded()
    {
        await using var client = await LlmTestClient.StartAsync();
        const string body = """
            {
              "model": "sim-vision",
              "messages": [
                {"role": "developer", "content": "You are a bot."},
                {"role": "user", "content": [
                  {"type": "text", "text": "What is in"},
                  {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo=", "detail": "low"}},
                  {"type": "image_url", "image_url": {"url": "https://cdn.example.com/cat.png"}},
                  {"type": "text", "text": "these pictures?"}
                ], "name": "alice"},
                {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "noop", "arguments": "{}"}}]},
                {"role": "tool", "tool_call_id": "call_1", "content": "ok"},
                {"role": "user", "content": "Describe them"}
              ],
              "tools": [{"type": "function", "function": {"name": "noop", "parameters": {"type": "object"}}}],
              "tool_choice": "auto",
              "temperature": 0.7,
              "max_completion_tokens": 500,
              "reasoning_effort": "low",
              "stream": false,
              "stream_options": null,
              "user": "discord-1234",
              "some_future_field": {"nested": [1, 2, 3]}
            }
            """;
        using var response = await client.PostOpenAiAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var recorded = Assert.Single(client.Emulator.Requests);
        Assert.Equal("openai", recorded.Endpoint);
        Assert.Equal("sim-vision", recorded.Model);
        Assert.False(recorded.Stream);
        Assert.Equal(2, recorded.ImageCount);
        Assert.Equal("Describe them", recorded.LastUserText);
        Assert.Equal(body, recorded.RawBody);
        Assert.Equal("Bearer test-key", recorded.Headers["Authorization"]);
    }

    [Fact]
    public async Task ModelsListHasTheOpenAiShape()
    {
        await using var client = await LlmTestClient.StartAsync(o => o.Models.Add("custom-model"));
        var json = await client.Http.GetFromJsonDocumentAsync("v1/models");

        Assert.Equal("list", json.GetProperty("object").GetString());
        var ids = json.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Equal(["sim-small", "sim-large", "sim-vision", "custom-model"], ids);
        Assert.All(json.GetProperty("data").EnumerateArray(), m => Assert.Equal("model", m.GetProperty("object").GetString()));
    }

    [Fact]
    public async Task UnknownModelIsA404WithModelNotFound()
    {
        await using var client = await LlmTestClient.StartAsync();
        using var response = await client.PostOpenAiAsync(LlmTestClient.OpenAiBody("gpt-9000", "hi", stream: true));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = (await LlmTestClient.ReadJsonAsync(response)).GetProperty("error");
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains("gpt-9000", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("[1,2]", "JSON object")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":"sim-small"}""", "messages")]
    [InlineData("""{"model":"sim-small","messages":[]}""", "messages")]
    [InlineData("""{"model":"sim-small","messages":"hi"}""", "messages")]
    [InlineData("""{"model":"sim-small","messages":[{"role":"wizard","content":"hi"}]}""", "role")]
    [InlineData("""{"model":"sim-small","messages":[{"role":"user","content":42}]}""", "content")]
    [InlineData("""{"model":"sim-small","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"ftp://x/y.png"}}]}]}""", "image")]
    [InlineData("""{"model":"sim-small","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:text/plain,hello"}}]}]}""", "image")]
    [InlineData("""{"model":"sim-small","stream":"yes","messages":[{"role":"user","content":"hi"}]}""", "stream")]
    [InlineData("""{"model":"sim-small","max_tokens":0,"messages":[{"role":"user","content":"hi"}]}""", "max_tokens")]
    [InlineData("""{"model":"sim-small","temperature":7,"messages":[{"role":"user","content":"hi"}]}""", "temperature")]
    [InlineData("""{"model":"sim-small","tools":[{"type":"function"}],"messages":[{"role":"user","content":"hi"}]}""", "function")]
    public async Task MalformedRequestIsA400WithAClearMessage(string body, string mentioned)
    {
        await using var client = await LlmTestClient.StartAsync();
        using var response = await client.PostOpenAiAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await LlmTestClient.ReadJsonAsync(response)).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains(mentioned, error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(client.Emulator.Requests);

        // The server is still fine afterwards.
        using var ok = await client.PostOpenAiAsync(LlmTestClient.OpenAiBody("sim-small", "still there?", stream: false));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task ManyConcurrentStreamsEachGetTheirOwnAnswer()
    {
        await using var client = await LlmTestClient.StartAsync(o => o.DefaultBehavior = new LlmBehavior
        {
            TimeToFirstToken = TimeSpan.FromMilliseconds(5),
            TokensPerSecond = 1000,
        });

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            using var response = await client.PostOpenAiAsync(LlmTestClient.OpenAiBody("sim-small", $"question number {i}", stream: true));
            var events = await LlmTestClient.ReadEventsAsync(response);
            Assert.True(events[^1].IsDone);
            return (i, text: string.Concat(events[..^1].Select(e =>
                e.Json().GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var c) ? c.GetString() : "")));
        }));

        Assert.All(answers, a => Assert.Equal($"You said: question number {a.i}", a.text));
        Assert.Equal(40, client.Emulator.Requests.Count);
        await Eventually.UntilAsync(() => client.Emulator.ActiveRequests == 0, "every request to end");
    }

    [Fact]
    public async Task RecordedRequestsAreBoundedToTheMostRecent()
    {
        await using var client = await LlmTestClient.StartAsync();
        for (var i = 0; i < LlmEmulator.MaxRecordedRequests + 5; i++)
        {
            using var response = await client.PostOpenAiAsync(LlmTestClient.OpenAiBody("sim-small", $"n{i}", stream: false));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var requests = client.Emulator.Requests;
        Assert.Equal(LlmEmulator.MaxRecordedRequests, requests.Count);
        Assert.Equal("n5", requests[0].LastUserText);
        Assert.Equal($"n{LlmEmulator.MaxRecordedRequests + 4}", requests[^1].LastUserText);
    }
}
