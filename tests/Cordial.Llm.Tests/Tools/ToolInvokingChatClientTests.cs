using System.Text.Json;
using Cordial.Llm.Tests.Pipeline;
using Cordial.Llm.Tools;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Cordial.Llm.Tests.Tools;

public sealed class ToolInvokingChatClientTests
{
    private static ChatResponseUpdate Call(string callId, string tool, Dictionary<string, object?>? arguments = null) =>
        new(ChatRole.Assistant, [new FunctionCallContent(callId, tool, arguments ?? [])]) { FinishReason = ChatFinishReason.ToolCalls };

    private static FunctionResultContent LastResult(IList<ChatMessage> messages) =>
        Assert.Single(messages[^1].Contents.OfType<FunctionResultContent>());

    /// <summary>A model that calls <paramref name="tool"/> once, then answers with the text of the result it got.</summary>
    private static FakeChatClient OneCallModel(string tool, Dictionary<string, object?>? arguments = null) => new()
    {
        Respond = (call, messages, _, _) => call == 1
            ? FakeStreams.Updates(new ChatResponseUpdate(ChatRole.Assistant, "let me check. "), Call("c1", tool, arguments))
            : FakeStreams.Text("result: ", Convert.ToString(LastResult(messages).Result, System.Globalization.CultureInfo.InvariantCulture) ?? "null"),
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Invokes_the_tool_and_sends_the_result_back(bool streaming)
    {
        var registry = new ToolRegistry().Add("add", "Adds two numbers", (int a, int b) => a + b);
        var model = OneCallModel("add", new() { ["a"] = 2, ["b"] = 3 });
        using var client = new ToolInvokingChatClient(model, registry);

        var (response, updates) = await ChatRun.AskAsync(client, streaming);

        Assert.EndsWith("result: 5", response.Text, StringComparison.Ordinal);
        Assert.Equal(2, model.Calls);
        var first = model.Recorded.First();
        Assert.Contains(first.Options!.Tools!, t => t.Name == "add");
        var second = model.Recorded.Last();
        Assert.Equal(ChatRole.Tool, second.Messages[^1].Role);
        Assert.Equal("c1", LastResult(second.Messages).CallId);
        Assert.Contains(second.Messages[^2].Contents, c => c is FunctionCallContent { Name: "add" });
        if (streaming)
        {
            Assert.DoesNotContain(updates, u => u.Contents.Any(c => c is FunctionCallContent));
            Assert.DoesNotContain(updates, u => u.FinishReason == ChatFinishReason.ToolCalls);

            // What streamed after the tool ran is marked, so the response cache never stores a tool-dependent answer.
            Assert.Null(updates.First().AdditionalProperties?.GetValueOrDefault(ToolInvokingChatClient.ToolsUsedProperty));
            Assert.All(updates.Where(u => u.Text.Contains("result", StringComparison.Ordinal)), u => Assert.Equal(true, u.AdditionalProperties![ToolInvokingChatClient.ToolsUsedProperty]));
            Assert.Null(Cordial.Llm.Caching.CachedResponse.TryCreate(updates.ToChatResponse(), 1024));
        }
        else
        {
            Assert.DoesNotContain(response.Messages.SelectMany(m => m.Contents), c => c is FunctionCallContent);
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task Tool_exception_is_returned_to_the_model_not_thrown(bool streaming, bool detailed)
    {
        var registry = new ToolRegistry().Add("explode", "Always fails", new Func<string>(() => throw new InvalidOperationException("kaboom")));
        var model = OneCallModel("explode");
        using var client = new ToolInvokingChatClient(model, registry, new ToolOptions { IncludeDetailedErrors = detailed });

        var (response, _) = await ChatRun.AskAsync(client, streaming);

        var sent = LastResult(model.Recorded.Last().Messages);
        var text = Assert.IsType<string>(sent.Result);
        Assert.StartsWith("Error: tool 'explode' failed", text, StringComparison.Ordinal);
        Assert.Equal(detailed, text.Contains("kaboom", StringComparison.Ordinal));
        Assert.Contains("Error: tool 'explode' failed", response.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Unknown_tool_is_reported_to_the_model(bool streaming)
    {
        var registry = new ToolRegistry().Add("known", "A tool", () => "x");
        var model = OneCallModel("imaginary");
        using var client = new ToolInvokingChatClient(model, registry);

        await ChatRun.AskAsync(client, streaming);

        Assert.Equal("Error: there is no tool named 'imaginary'.", LastResult(model.Recorded.Last().Messages).Result);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rounds_are_bounded_and_the_last_request_disables_tool_use(bool streaming)
    {
        var invocations = 0;
        var registry = new ToolRegistry().Add("again", "Call me forever", () => Interlocked.Increment(ref invocations));
        var model = new FakeChatClient
        {
            Respond = (call, _, options, _) => options?.ToolMode is NoneChatToolMode
                ? FakeStreams.Text("giving up")
                : FakeStreams.Updates(Call("c" + call, "again")),
        };
        using var client = new ToolInvokingChatClient(model, registry, new ToolOptions { MaxRounds = 3 });

        var (response, _) = await ChatRun.AskAsync(client, streaming);

        Assert.Equal("giving up", response.Text);
        Assert.Equal(3, invocations);
        Assert.Equal(4, model.Calls);
        Assert.IsType<NoneChatToolMode>(model.Recorded.Last().Options!.ToolMode);
        Assert.All(model.Recorded.Take(3), r => Assert.IsNotType<NoneChatToolMode>(r.Options!.ToolMode));
    }

    [Fact]
    public async Task Model_that_still_calls_tools_in_the_last_round_gets_no_invocation()
    {
        var invocations = 0;
        var registry = new ToolRegistry().Add("again", "Call me", () => Interlocked.Increment(ref invocations));
        var model = new FakeChatClient { Respond = (call, _, _, _) => FakeStreams.Updates(Call("c" + call, "again")) };
        using var client = new ToolInvokingChatClient(model, registry, new ToolOptions { MaxRounds = 1 });

        var (response, updates) = await ChatRun.AskAsync(client, streaming: true);

        Assert.Equal(1, invocations);
        Assert.Equal(2, model.Calls);
        Assert.Empty(updates);
        Assert.Equal("", response.Text);
    }

    [Fact]
    public async Task Slow_tool_times_out_and_the_model_is_told()
    {
        var time = new ManualTimeProvider();
        var registry = new ToolRegistry().Add("slow", "Never finishes", async (CancellationToken ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return "never";
        });
        var model = OneCallModel("slow");
        using var client = new ToolInvokingChatClient(model, registry, new ToolOptions { ToolTimeout = TimeSpan.FromSeconds(5) }, time);

        var ask = ChatRun.AskAsync(client, streaming: true);
        await ChatRun.AdvanceUntilAsync(time, () => model.Calls >= 2, TimeSpan.FromSeconds(1), "the model to get the timeout");
        await ask;

        Assert.Equal("Error: tool 'slow' did not finish within 5 s.", LastResult(model.Recorded.Last().Messages).Result);
    }

    [Fact]
    public async Task Calls_beyond_the_per_round_limit_are_not_run()
    {
        var invocations = 0;
        var registry = new ToolRegistry().Add("count", "Counts", () => Interlocked.Increment(ref invocations));
        var model = new FakeChatClient
        {
            Respond = (call, _, _, _) => call == 1
                ? FakeStreams.Updates(Call("c1", "count"), Call("c2", "count"), Call("c3", "count"))
                : FakeStreams.Text("done"),
        };
        using var client = new ToolInvokingChatClient(model, registry, new ToolOptions { MaxCallsPerRound = 2 });

        await ChatRun.AskAsync(client, streaming: true);

        Assert.Equal(2, invocations);
        var results = model.Recorded.Last().Messages[^1].Contents.OfType<FunctionResultContent>().ToList();
        Assert.Equal(["c1", "c2", "c3"], results.Select(r => r.CallId));
        Assert.StartsWith("Error: too many tool calls", Assert.IsType<string>(results[2].Result), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Without_tools_requests_pass_through_untouched(bool streaming)
    {
        var model = new FakeChatClient();
        using var client = new ToolInvokingChatClient(model, new ToolRegistry());
        var options = new ChatOptions { Temperature = 0.1f };

        var (response, _) = await ChatRun.AskAsync(client, streaming, options: options);

        Assert.Equal("ok", response.Text);
        Assert.Same(options, model.Recorded.Single().Options);
        Assert.Null(options.Tools);
    }

    [Fact]
    public async Task Caller_options_and_messages_are_not_modified()
    {
        var registry = new ToolRegistry().Add("add", "Adds", (int a, int b) => a + b);
        var model = OneCallModel("add", new() { ["a"] = 1, ["b"] = 1 });
        using var client = new ToolInvokingChatClient(model, registry);
        var options = new ChatOptions();
        List<ChatMessage> messages = [new(ChatRole.User, "add one and one")];

        await ChatRun.AskAsync(client, true, new EnumeratedOnce<ChatMessage>(messages), options);

        Assert.Null(options.Tools);
        Assert.Single(messages);
    }

    [Fact]
    public async Task Json_arguments_from_a_provider_are_bound()
    {
        using var doc = JsonDocument.Parse("""{"a": 20, "b": 22}""");
        var arguments = doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
        var registry = new ToolRegistry().Add("add", "Adds", (int a, int b) => a + b);
        var model = OneCallModel("add", arguments);
        using var client = new ToolInvokingChatClient(model, registry);

        var (response, _) = await ChatRun.AskAsync(client, false);

        Assert.EndsWith("result: 42", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Registry_rejects_duplicates()
    {
        var registry = new ToolRegistry().Add("a", "first", () => 1);

        Assert.Throws<ArgumentException>(() => registry.Add("a", "second", () => 2));
        Assert.True(registry.TryGet("a", out var tool));
        Assert.Equal("first", tool.Description);
        Assert.Equal(1, registry.Count);
    }

    [Theory]
    [InlineData(nameof(ToolOptions.MaxRounds))]
    [InlineData(nameof(ToolOptions.ToolTimeout))]
    [InlineData(nameof(ToolOptions.MaxCallsPerRound))]
    public void Invalid_settings_are_rejected_naming_the_setting(string setting)
    {
        var options = new ToolOptions();
        switch (setting)
        {
            case nameof(ToolOptions.MaxRounds): options.MaxRounds = 17; break;
            case nameof(ToolOptions.ToolTimeout): options.ToolTimeout = TimeSpan.Zero; break;
            case nameof(ToolOptions.MaxCallsPerRound): options.MaxCallsPerRound = 0; break;
        }

        var error = Assert.Throws<OptionsValidationException>(() => new ToolInvokingChatClient(new FakeChatClient(), null, options));

        Assert.Contains("Llm:Tools:" + setting, error.Message, StringComparison.Ordinal);
    }
}
