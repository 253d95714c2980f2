using Cordial.Llm.Pipeline;
using Microsoft.Extensions.AI;

namespace Cordial.Llm.Tests.Pipeline;

public sealed class UpdateRecorderTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Makes_the_same_response_as_the_updates_themselves()
    {
        List<ChatResponseUpdate> updates =
        [
            Delta(new TextReasoningContent("thinking ")),
            Delta(new TextReasoningContent("hard")),
            Delta(new TextContent("Hello")),
            Delta(new TextContent(", ")),
            Delta(new TextContent("world")),
            new(ChatRole.Assistant, [new FunctionCallContent("call_1", "lookup", new Dictionary<string, object?> { ["q"] = "x" })]) { ResponseId = "r1", MessageId = "m1", ModelId = "small" },
            new(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = 3, OutputTokenCount = 5 })])
            {
                ResponseId = "r1",
                MessageId = "m1",
                ModelId = "small",
                FinishReason = ChatFinishReason.ToolCalls,
                AdditionalProperties = new() { ["provider_model"] = "sim-small" },
            },
        ];

        var expected = updates.ToChatResponse();
        var actual = Record(updates);

        Assert.Equal(expected.Text, actual.Text);
        Assert.Equal("Hello, world", actual.Text);
        Assert.Equal(expected.FinishReason, actual.FinishReason);
        Assert.Equal(expected.ResponseId, actual.ResponseId);
        Assert.Equal(expected.ModelId, actual.ModelId);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.Usage?.InputTokenCount, actual.Usage?.InputTokenCount);
        Assert.Equal(expected.Usage?.OutputTokenCount, actual.Usage?.OutputTokenCount);
        Assert.Contains("provider_model=sim-small", Properties(actual));
        Assert.Equal(Properties(expected), Properties(actual));
        Assert.Equal(Shape(expected), Shape(actual));
        Assert.Equal("thinking hard", Assert.Single(actual.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>()).Text);
        Assert.Equal("call_1", Assert.Single(actual.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>()).CallId);
    }

    [Fact]
    public void Keeps_text_of_different_messages_apart()
    {
        List<ChatResponseUpdate> updates =
        [
            Delta(new TextContent("first "), messageId: "m1"),
            Delta(new TextContent("answer"), messageId: "m1"),
            Delta(new TextContent("second "), messageId: "m2"),
            Delta(new TextContent("answer"), messageId: "m2"),
        ];

        var response = Record(updates);

        Assert.Equal(["first answer", "second answer"], response.Messages.Select(m => m.Text));
        Assert.Equal(Shape(updates.ToChatResponse()), Shape(response));
    }

    [Fact]
    public void An_update_carrying_more_than_text_ends_the_run_and_is_kept_in_place()
    {
        var flagged = Delta(new TextContent("b"));
        flagged.AdditionalProperties = new() { ["cordial.flag"] = true };
        List<ChatResponseUpdate> updates = [Delta(new TextContent("a")), flagged, Delta(new TextContent("c"))];

        var response = Record(updates);

        Assert.Equal("abc", response.Text);
        Assert.Contains("cordial.flag=True", Properties(response));
        Assert.Equal(Properties(updates.ToChatResponse()), Properties(response));
        Assert.Equal(Shape(updates.ToChatResponse()), Shape(response));
    }

    [Fact]
    public void Recording_may_go_on_after_a_response_was_made()
    {
        var recorder = new UpdateRecorder();
        recorder.Add(Delta(new TextContent("one ")));

        Assert.Equal("one ", recorder.ToChatResponse().Text);

        recorder.Add(Delta(new TextContent("two")));
        Assert.Equal("one two", recorder.ToChatResponse().Text);
    }

    [Fact]
    public void Nothing_recorded_makes_an_empty_response()
    {
        var response = new UpdateRecorder().ToChatResponse();

        Assert.Equal("", response.Text);
        Assert.Null(response.FinishReason);
    }

    private static ChatResponseUpdate Delta(AIContent content, string messageId = "m1") => new(ChatRole.Assistant, [content])
    {
        ResponseId = "r1",
        MessageId = messageId,
        ModelId = "small",
        CreatedAt = Created,
    };

    private static ChatResponse Record(IEnumerable<ChatResponseUpdate> updates)
    {
        var recorder = new UpdateRecorder();
        foreach (var update in updates)
        {
            recorder.Add(update);
        }

        return recorder.ToChatResponse();
    }

    /// <summary>The response's and its messages' additional properties, as key=value.</summary>
    private static string[] Properties(ChatResponse response) =>
    [
        .. (response.AdditionalProperties ?? []).Concat(response.Messages.SelectMany(m => m.AdditionalProperties ?? []))
            .Select(p => $"{p.Key}={p.Value}"),
    ];

    /// <summary>Each message's role, id and content kinds with their text, in order: what history and the cache read.</summary>
    private static string[] Shape(ChatResponse response) =>
    [
        .. response.Messages.Select(m => $"{m.Role}/{m.MessageId}: " + string.Join(" | ", m.Contents.Select(c => c switch
        {
            TextReasoningContent r => "reasoning:" + r.Text,
            TextContent t => "text:" + t.Text,
            _ => c.GetType().Name,
        }))),
    ];
}
