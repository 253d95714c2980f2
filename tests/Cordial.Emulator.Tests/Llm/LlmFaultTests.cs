using System.Net;
using System.Text.Json;
using Cordial.Emulator.Llm;

namespace Cordial.Emulator.Tests.Llm;

public sealed class LlmFaultTests
{
    [Fact]
    public async Task RateLimitedAnswers429WithRetryAfterForCountRequestsThenRecovers()
    {
        await using var client = await LlmTestClient.StartAsync();
        client.Emulator.InjectFault(new LlmFault.RateLimited(TimeSpan.FromMilliseconds(1500)), count: 2);
        var body = LlmTestClient.OpenAiBody("sim-small", "hi", stream: true);

        for (var i = 0; i < 2; i++)
        {
            using var limited = await client.PostOpenAiAsync(body);
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(2), limited.Headers.RetryAfter?.Delta);
            Assert.Equal("1500", Assert.Single(limited.Headers.GetValues("retry-after-ms")));
            var error = (await LlmTestClient.ReadJsonAsync(limited)).GetProperty("error");
            Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        }

        using var ok = await client.PostOpenAiAsync(body);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(0, client.Emulator.PendingFaults);
    }

    [Fact]
    public async Task FaultForOneModelLeavesOtherModelsAlone()
    {
        await using var client = await LlmTestClient.StartAsync();
        client.Emulator.InjectFault(new LlmFault.ServerError(), model: "sim-large");

        using var small = await client.PostOpenAiAsync(LlmTestClient.OpenAiBody("sim-small", "hi", stream: false));
        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        using var large = await client.PostOpenAiAsync(LlmTestClient.OpenAiBody("sim-large", "hi", stream: false));
        Assert.Equal(HttpStatusCode.InternalServerError, large.StatusCode);
        Assert.Equal("server_error", (await LlmTestClient.ReadJsonAsync(large)).GetProperty("error").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData(500, "api_error")]
    [InlineData(503, "overloaded_error")]
    [InlineData(529, "overloaded_error")]
    public async Task AnthropicServerErrorsUseAnthropicErrorTypes(int status, string type)
    {
        await using var client = await LlmTestClient.StartAsync();
        client.Emulator.InjectFault(new LlmFault.ServerError(status));
        using var response = await client.PostAnthropicAsync(LlmTestClient.AnthropicBody("sim-small", "hi", stream: true));

        Assert.Equal(status, (int)response.StatusCode);
        var json = await LlmTestClient.ReadJsonAsync(response);
        Assert.Equal("error", json.GetProperty("type").GetString());
        Assert.Equal(type, json.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task AnthropicRateLimitHasRetryAfterAndRateLimitError()
    {
        await using var client = await LlmTestClient.StartAsync();
        client.Emulator.InjectFault(new LlmFault.RateLimited(TimeSpan.FromSeconds(3)));
        using var response = await client.PostAnthropicAsync(LlmTestClient.AnthropicBody("sim-small", "hi", stream: false));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
        Assert.Equal("rate_limit_error", (await LlmTestClient.ReadJsonAsync(response)).GetProperty("error").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task CutStreamAbortsAfterTheGivenTokensWithoutFinishing(string endpoint)
    {
        await using var client = await LlmTestClient.StartAsync();
        client.Emulator.InjectFault(new LlmFault.CutStream(3));
        using var response = endpoint == "openai"
            ? await client.PostOpenAiAsync(LlmTestClient.OpenAiBody("sim-small", "one two three four five", stream: true))
            : await client.PostAnthropicAsync(LlmTestClient.AnthropicBody("sim-small", "one two three four five", stream: true));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var received = new List<SseEvent>();
        var failure = await Record.ExceptionAsync(async () =>
        {
            await foreach (var e in LlmTestClient.EnumerateEventsAsync(response, TestContext.Current.CancellationToken))
            {
                received.Add(e);
            }
        });

        Assert.IsAssignableFrom<IOException>(failure);
        Assert.DoesNotContain(received, e => e.IsDone || e.Name == "message_stop" || e.Name == "message_delta");
        var text = endpoint == "openai"
            ? string.Concat(received.Select(e => e.Json().GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var c) ? c.GetString() : ""))
            : string.Concat(received.Where(e => e.Name == "content_block_delta").Select(e => e.Json().GetProperty("delta").GetProperty("text").GetString()));
        Assert.Equal("You said: one", text);
        Assert.Equal(0, client.Emulator.PendingFaults);

        using var ok = endpoint == "openai"
            ? await client.PostOpenAiAsync(LlmTestClient.OpenAiBody("sim-small", "again", stream: true))
            : await client.PostAnthropicAsync(LlmTestClient.AnthropicBody("sim-small", "again", stream: true));
        Assert.NotEmpty(await LlmTestClient.ReadEventsAsync(ok));
    }

    [Fact]
    public async Task CutStreamOnANonStreamingRequestDropsTheConnection()
    {
        await using var client = await LlmTestClient.StartAsync();
        client.Emulator.InjectFault(new LlmFault.CutStream(0));

        await Assert.ThrowsAsync<HttpRequestException>(() => client.PostOpenAiAsync(LlmTestClient.OpenAiBody("sim-small", "hi", stream: false)));
    }

    [Fact]
    public async Task HangNeverAnswersAndEndsWhenTheClientGivesUp()
    {
        await using var client = await LlmTestClient.StartAsync();
        client.Emulator.InjectFault(new LlmFault.Hang());
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var pending = client.SendAsync("v1/chat/completions", LlmTestClient.OpenAiBody("sim-small", "hi", stream: true), anthropicHeaders: false, giveUp.Token);
        await Eventually.UntilAsync(() => client.Emulator.Requests.Count == 1 && client.Emulator.PendingFaults == 0, "the hanging request to arrive");
        Assert.Equal(1, client.Emulator.ActiveRequests);
        Assert.False(pending.IsCompleted);

        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        await Eventually.UntilAsync(() => client.Emulator.ActiveRequests == 0, "the server side of the hanging request to end");

        using var ok = await client.PostOpenAiAsync(LlmTestClient.OpenAiBody("sim-small", "hi", stream: false));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task DisposingTheHostEndsAHangingRequest()
    {
        var client = await LlmTestClient.StartAsync();
        HttpResponseMessage? response = null;
        try
        {
            client.Emulator.InjectFault(new LlmFault.Hang());
            var pending = client.SendAsync("v1/messages", LlmTestClient.AnthropicBody("sim-small", "hi", stream: true), anthropicHeaders: true, TestContext.Current.CancellationToken);
            await Eventually.UntilAsync(() => client.Emulator.ActiveRequests == 1, "the hanging request to arrive");

            await client.Host.DisposeAsync();

            var failure = await Record.ExceptionAsync(async () => response = await pending);
            Assert.True(failure is HttpRequestException || response is not null, "the client is released, not left waiting");
            Assert.Equal(0, client.Emulator.ActiveRequests);
        }
        finally
        {
            response?.Dispose();
            client.Http.Dispose();
        }
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task MalformedSseWritesOneGarbageEventMidStream(string endpoint)
    {
        await using var client = await LlmTestClient.StartAsync();
        client.Emulator.InjectFault(new LlmFault.MalformedSse());
        using var response = endpoint == "openai"
            ? await client.PostOpenAiAsync(LlmTestClient.OpenAiBody("sim-small", "a b c", stream: true))
            : await client.PostAnthropicAsync(LlmTestClient.AnthropicBody("sim-small", "a b c", stream: true));
        var events = await LlmTestClient.ReadEventsAsync(response);

        var broken = events.Where(e => !e.IsDone && !IsJson(e.Data)).ToList();
        Assert.Single(broken);
        var index = events.IndexOf(broken[0]);
        Assert.InRange(index, 1, events.Count - 2); // in the middle, not first or last
    }

    [Fact]
    public async Task MalformedSseOnANonStreamingRequestReturnsInvalidJson()
    {
        await using var client = await LlmTestClient.StartAsync();
        client.Emulator.InjectFault(new LlmFault.MalformedSse());
        using var response = await client.PostOpenAiAsync(LlmTestClient.OpenAiBody("sim-small", "hi", stream: false));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(IsJson(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task NotFoundFaultAnswers404ForAKnownModel(string endpoint)
    {
        await using var client = await LlmTestClient.StartAsync();
        client.Emulator.InjectFault(new LlmFault.NotFound(), model: "sim-small");
        using var response = endpoint == "openai"
            ? await client.PostOpenAiAsync(LlmTestClient.OpenAiBody("sim-small", "hi", stream: true))
            : await client.PostAnthropicAsync(LlmTestClient.AnthropicBody("sim-small", "hi", stream: true));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var json = await LlmTestClient.ReadJsonAsync(response);
        Assert.Equal(endpoint == "openai" ? "model_not_found" : "not_found_error",
            endpoint == "openai" ? json.GetProperty("error").GetProperty("code").GetString() : json.GetProperty("error").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task ContextTooLongUsesEachProvidersWording(string endpoint)
    {
        await using var client = await LlmTestClient.StartAsync();
        client.Emulator.InjectFault(new LlmFault.ContextTooLong());
        using var response = endpoint == "openai"
            ? await client.PostOpenAiAsync(LlmTestClient.OpenAiBody("sim-small", "hi", stream: false))
            : await client.PostAnthropicAsync(LlmTestClient.AnthropicBody("sim-small", "hi", stream: false));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await LlmTestClient.ReadJsonAsync(response)).GetProperty("error");
        if (endpoint == "openai")
        {
            Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
            Assert.Contains("maximum context length", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
            Assert.StartsWith("prompt is too long", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void InvalidFaultsAreRejected()
    {
        var emulator = new LlmEmulator();
        Assert.Throws<ArgumentOutOfRangeException>(() => emulator.InjectFault(new LlmFault.ServerError(404)));
        Assert.Throws<ArgumentOutOfRangeException>(() => emulator.InjectFault(new LlmFault.CutStream(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => emulator.InjectFault(new LlmFault.Hang(), count: 0));
        Assert.Throws<ArgumentNullException>(() => emulator.InjectFault(null!));
        Assert.Equal(0, emulator.PendingFaults);
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
