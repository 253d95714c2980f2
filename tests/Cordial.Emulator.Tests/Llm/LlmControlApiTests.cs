using System.Net;
using System.Text;
using Cordial.Emulator.Llm;

namespace Cordial.Emulator.Tests.Llm;

public sealed class LlmControlApiTests
{
    [Fact]
    public async Task BehaviorScriptFaultRequestsAndResetWorkOverHttp()
    {
        await using var client = await LlmTestClient.StartAsync();

        await PostAsync(client, "behavior", """{"model":"sim-large","answer":"filler","fillerTokens":4,"timeToFirstTokenMs":0,"tokensPerSecond":0}""");
        Assert.Equal("the quick river carries", await AskAsync(client, "sim-large", "anything"));
        Assert.Equal(LlmAnswerMode.Filler, client.Emulator.GetBehavior("sim-large").Answer);

        await PostAsync(client, "scripts", """{"contains":"capital","answer":"Paris."}""");
        Assert.Equal("Paris.", await AskAsync(client, "sim-small", "The capital of France?"));

        await PostAsync(client, "tool-scripts", """{"contains":"time","tool":"clock","arguments":{"zone":"UTC"},"answerAfterToolResult":"Noon."}""");
        var withTool = LlmTestClient.OpenAiBody("sim-small", "What time is it?", stream: false,
            extra: ""","tools":[{"type":"function","function":{"name":"clock"}}]""");
        using (var response = await client.PostOpenAiAsync(withTool))
        {
            var call = (await LlmTestClient.ReadJsonAsync(response)).GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls")[0];
            Assert.Equal("""{"zone":"UTC"}""", call.GetProperty("function").GetProperty("arguments").GetString());
        }

        await PostAsync(client, "faults", """{"kind":"rate-limited","retryAfterMs":2000,"model":"sim-small","count":1}""");
        using (var limited = await client.PostOpenAiAsync(LlmTestClient.OpenAiBody("sim-small", "hi", stream: false)))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        }

        var requests = await client.Http.GetFromJsonDocumentAsync("_emulator/llm/requests?limit=2");
        Assert.Equal(2, requests.GetArrayLength());
        Assert.Equal("hi", requests[1].GetProperty("lastUserText").GetString());
        Assert.Equal("(redacted)", requests[1].GetProperty("headers").GetProperty("Authorization").GetString());
        Assert.False(requests[1].TryGetProperty("rawBody", out _));
        var withBody = await client.Http.GetFromJsonDocumentAsync("_emulator/llm/requests?limit=1&body=true");
        Assert.Contains("\"hi\"", withBody[0].GetProperty("rawBody").GetString(), StringComparison.Ordinal);

        var state = await client.Http.GetFromJsonDocumentAsync("_emulator/llm");
        Assert.Equal(3, state.GetProperty("models").GetArrayLength());

        await PostAsync(client, "reset", "");
        Assert.Empty(client.Emulator.Requests);
        Assert.Equal("You said: The capital of France?", await AskAsync(client, "sim-small", "The capital of France?"));
        Assert.Equal(LlmAnswerMode.Echo, client.Emulator.GetBehavior("sim-large").Answer);
    }

    [Fact]
    public async Task DefaultBehaviorIsSetWhenNoModelIsNamed()
    {
        await using var client = await LlmTestClient.StartAsync();
        await PostAsync(client, "behavior", """{"answer":"scripted","timeToFirstTokenMs":0,"tokensPerSecond":0}""");

        Assert.Equal(LlmEmulator.NoScriptAnswer, await AskAsync(client, "sim-vision", "hello"));
    }

    [Fact]
    public async Task ModelNamedInBehaviorBecomesKnown()
    {
        await using var client = await LlmTestClient.StartAsync();
        await PostAsync(client, "behavior", """{"model":"brand-new","timeToFirstTokenMs":0,"tokensPerSecond":0}""");

        Assert.Equal("You said: hello", await AskAsync(client, "brand-new", "hello"));
        Assert.Contains("brand-new", client.Emulator.Models);
    }

    [Theory]
    [InlineData("faults", """{"kind":"explode"}""", "kind")]
    [InlineData("faults", """{"kind":"server-error","status":200}""", "5xx")]
    [InlineData("faults", """{"kind":"hang","count":0}""", "count")]
    [InlineData("behavior", """{"answer":"sing"}""", "answer")]
    [InlineData("behavior", """{"timeToFirstTokenMs":-5}""", "")]
    [InlineData("behavior", """{"tokensPerSecond":"fast"}""", "tokensPerSecond")]
    [InlineData("scripts", """{"contains":"x"}""", "answer")]
    [InlineData("tool-scripts", """{"contains":"x","tool":"t","arguments":"[1]","answerAfterToolResult":"y"}""", "object")]
    [InlineData("scripts", "not json", "")]
    [InlineData("scripts", "[]", "object")]
    public async Task BadControlRequestsAre400(string path, string body, string mentioned)
    {
        await using var client = await LlmTestClient.StartAsync();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.Http.PostAsync("_emulator/llm/" + path, content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (await LlmTestClient.ReadJsonAsync(response)).GetProperty("error").GetString();
        Assert.Contains(mentioned, message, StringComparison.Ordinal);
        Assert.Equal(0, client.Emulator.PendingFaults);
    }

    private static async Task PostAsync(LlmTestClient client, string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.Http.PostAsync("_emulator/llm/" + path, content, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    private static async Task<string> AskAsync(LlmTestClient client, string model, string text)
    {
        using var response = await client.PostOpenAiAsync(LlmTestClient.OpenAiBody(model, text, stream: false));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await LlmTestClient.ReadJsonAsync(response)).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
    }
}
