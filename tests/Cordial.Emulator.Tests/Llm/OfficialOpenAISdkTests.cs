using System.ClientModel;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;

namespace Cordial.Emulator.Tests.Llm;

/// <summary>
/// The official OpenAI .NET SDK (a test-only dependency) as a client of the emulator: the bot's own OpenAI-compatible
/// client and the emulator are both ours, so an independent client keeps the emulator true to the wire the real
/// API speaks (requests the SDK builds are accepted; answers it reads come out right).
/// </summary>
public sealed class OfficialOpenAISdkTests
{
    private const string Arguments = """{"city":"Paris","unit":"celsius"}""";

    private static ChatClient Sdk(LlmTestClient emulator, string model = "sim-small") =>
        new(model, new ApiKeyCredential("sk-test"), new OpenAIClientOptions { Endpoint = emulator.Host.OpenAIBaseAddress });

    [Fact]
    public async Task The_sdk_reads_a_whole_answer_with_its_usage()
    {
        await using var emulator = await LlmTestClient.StartAsync();

        ChatCompletion completion = await Sdk(emulator).CompleteChatAsync(
            [new SystemChatMessage("Be brief."), new UserChatMessage("hello there friend")], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("You said: hello there friend", Assert.Single(completion.Content).Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.StartsWith("chatcmpl-", completion.Id, StringComparison.Ordinal);
        Assert.Equal((5, 5, 10), (completion.Usage.InputTokenCount, completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount));
    }

    [Fact]
    public async Task The_sdk_reads_a_stream_that_ends_with_its_usage()
    {
        await using var emulator = await LlmTestClient.StartAsync();
        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;

        await foreach (var update in Sdk(emulator).CompleteChatStreamingAsync(
            [new SystemChatMessage("Be brief."), new UserChatMessage("  tell me  a story ")], cancellationToken: TestContext.Current.CancellationToken))
        {
            text.Append(string.Concat(update.ContentUpdate.Select(part => part.Text)));
            finish ??= update.FinishReason;
            usage ??= update.Usage; // the SDK asks for usage in the stream itself
        }

        Assert.Equal("You said:   tell me  a story ", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.True(usage.OutputTokenCount > 0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_sdk_round_trips_a_tool_call(bool streaming)
    {
        await using var emulator = await LlmTestClient.StartAsync();
        emulator.Emulator.ScriptToolCall("weather", "get_weather", Arguments, "It is 21 degrees in Paris.");
        var sdk = Sdk(emulator);
        var options = new ChatCompletionOptions { Tools = { ChatTool.CreateFunctionTool("get_weather", "The weather", BinaryData.FromString("""{"type":"object"}""")) } };
        List<ChatMessage> messages = [new UserChatMessage("What's the weather in Paris?")];

        var (calls, finish) = streaming ? await StreamedCallsAsync(sdk, messages, options) : await WholeCallsAsync(sdk, messages, options);

        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        var call = Assert.Single(calls);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal(JsonDocument.Parse(Arguments).RootElement.GetProperty("city").GetString(), JsonDocument.Parse(call.FunctionArguments).RootElement.GetProperty("city").GetString());

        messages.Add(new AssistantChatMessage(calls));
        messages.Add(new ToolChatMessage(call.Id, "21C"));
        ChatCompletion answer = await sdk.CompleteChatAsync(messages, options, TestContext.Current.CancellationToken);
        Assert.Equal("It is 21 degrees in Paris.", Assert.Single(answer.Content).Text);
    }

    [Fact]
    public async Task The_sdk_sees_an_unknown_model_as_a_404()
    {
        await using var emulator = await LlmTestClient.StartAsync();

        var failure = await Assert.ThrowsAsync<ClientResultException>(() =>
            Sdk(emulator, "no-such-model").CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(404, failure.Status);
    }

    private static async Task<(List<ChatToolCall> Calls, ChatFinishReason? Finish)> WholeCallsAsync(ChatClient sdk, List<ChatMessage> messages, ChatCompletionOptions options)
    {
        ChatCompletion completion = await sdk.CompleteChatAsync(messages, options, TestContext.Current.CancellationToken);
        return ([.. completion.ToolCalls], completion.FinishReason);
    }

    private static async Task<(List<ChatToolCall> Calls, ChatFinishReason? Finish)> StreamedCallsAsync(ChatClient sdk, List<ChatMessage> messages, ChatCompletionOptions options)
    {
        string? id = null;
        string? name = null;
        var arguments = new StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (var update in sdk.CompleteChatStreamingAsync(messages, options, TestContext.Current.CancellationToken))
        {
            foreach (var piece in update.ToolCallUpdates)
            {
                id ??= piece.ToolCallId;
                name ??= piece.FunctionName;
                arguments.Append(piece.FunctionArgumentsUpdate?.ToString());
            }

            finish ??= update.FinishReason;
        }

        return ([ChatToolCall.CreateFunctionToolCall(id!, name!, BinaryData.FromString(arguments.ToString()))], finish);
    }
}
