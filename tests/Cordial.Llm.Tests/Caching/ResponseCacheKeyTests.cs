using System.Text.Json;
using Cordial.Llm.Caching;
using Microsoft.Extensions.AI;

namespace Cordial.Llm.Tests.Caching;

public sealed class ResponseCacheKeyTests
{
    private static List<ChatMessage> Conversation(string first = "first question", string? author = "alice") =>
    [
        new(ChatRole.System, "You are terse."),
        new(ChatRole.User, first) { AuthorName = author },
        new(ChatRole.Assistant, "first answer"),
        new(ChatRole.User, "second question") { AuthorName = author },
    ];

    private static ChatOptions Options() => new()
    {
        ModelId = "small",
        Temperature = 0.5f,
        MaxOutputTokens = 500,
        Instructions = "persona",
        AdditionalProperties = new() { ["cordial.guild_id"] = 42UL, ["x"] = "y" },
    };

    private static ResponseCacheKey Key(IList<ChatMessage> messages, ChatOptions? options)
    {
        Assert.True(ResponseCacheKey.TryCompute(messages, options, out var key));
        return key;
    }

    [Fact]
    public void Identical_requests_built_separately_have_the_same_key()
    {
        Assert.Equal(Key(Conversation(), Options()), Key(Conversation(), Options()));
        Assert.Equal(Key(Conversation(), null), Key(Conversation(), null));
        Assert.Equal(64, Key(Conversation(), null).ToString().Length);
    }

    [Fact]
    public async Task Keys_computed_on_many_threads_at_once_are_the_keys_computed_alone()
    {
        // Each thread reuses one hash context: keys made side by side must never mix.
        var conversations = Enumerable.Range(0, 64).Select(i => Conversation(first: $"question {i}")).ToArray();
        var alone = conversations.Select(c => Key(c, Options())).ToArray();
        Assert.Equal(64, alone.Distinct().Count());

        await Parallel.ForAsync(0, 20_000, TestContext.Current.CancellationToken, (i, _) =>
        {
            Assert.Equal(alone[i % 64], Key(conversations[i % 64], Options()));
            return ValueTask.CompletedTask;
        });
    }

    [Fact]
    public void A_changed_earlier_message_changes_the_key()
    {
        Assert.NotEqual(Key(Conversation(), Options()), Key(Conversation(first: "first question!"), Options()));
    }

    [Fact]
    public void Author_role_and_message_boundaries_change_the_key()
    {
        Assert.NotEqual(Key(Conversation(), Options()), Key(Conversation(author: "bob"), Options()));

        List<ChatMessage> asUser = [new(ChatRole.User, "hello")];
        List<ChatMessage> asAssistant = [new(ChatRole.Assistant, "hello")];
        Assert.NotEqual(Key(asUser, null), Key(asAssistant, null));

        List<ChatMessage> joined = [new(ChatRole.User, "ab")];
        List<ChatMessage> split = [new(ChatRole.User, "a"), new(ChatRole.User, "b")];
        Assert.NotEqual(Key(joined, null), Key(split, null));
    }

    [Fact]
    public void Image_uris_and_bytes_change_the_key()
    {
        static List<ChatMessage> WithImage(AIContent image) => [new(ChatRole.User, [new TextContent("what is this?"), image])];

        var a = Key(WithImage(new UriContent("https://cdn.example/a.png", "image/png")), null);
        var b = Key(WithImage(new UriContent("https://cdn.example/b.png", "image/png")), null);
        var c = Key(WithImage(new DataContent(new byte[] { 1, 2, 3 }, "image/png")), null);
        var d = Key(WithImage(new DataContent(new byte[] { 1, 2, 4 }, "image/png")), null);
        Assert.Equal(4, new HashSet<ResponseCacheKey> { a, b, c, d }.Count);
    }

    public static TheoryData<string> OptionChanges => ["model", "temperature", "max_tokens", "instructions", "system_message", "reasoning", "tools", "property", "top_p", "stop"];

    [Theory]
    [MemberData(nameof(OptionChanges))]
    public void Model_parameters_and_system_prompt_change_the_key(string change)
    {
        var messages = Conversation();
        var options = Options();
        var baseline = Key(messages, options);

        switch (change)
        {
            case "model": options.ModelId = "large"; break;
            case "temperature": options.Temperature = 0.7f; break;
            case "max_tokens": options.MaxOutputTokens = 501; break;
            case "instructions": options.Instructions = "another persona"; break;
            case "system_message": messages[0] = new ChatMessage(ChatRole.System, "You are verbose."); break;
            case "reasoning": options.Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High }; break;
            case "tools": options.Tools = [AIFunctionFactory.Create(() => 1, "one")]; break;
            case "property": options.AdditionalProperties!["cordial.guild_id"] = 43UL; break;
            case "top_p": options.TopP = 0.9f; break;
            case "stop": options.StopSequences = ["END"]; break;
        }

        Assert.NotEqual(baseline, Key(messages, options));
    }

    [Fact]
    public void Additional_property_order_does_not_matter_but_values_do()
    {
        var one = new ChatOptions { AdditionalProperties = new() { ["a"] = 1, ["b"] = "two" } };
        var two = new ChatOptions { AdditionalProperties = new() { ["b"] = "two", ["a"] = 1 } };
        var json = new ChatOptions { AdditionalProperties = new() { ["b"] = "two", ["a"] = JsonSerializer.SerializeToElement(1) } };
        var messages = Conversation();

        Assert.Equal(Key(messages, one), Key(messages, two));
        Assert.NotEqual(Key(messages, one), Key(messages, new ChatOptions { AdditionalProperties = new() { ["a"] = 2, ["b"] = "two" } }));
        Assert.NotEqual(Key(messages, one), Key(messages, json)); // an int and a JSON number are different values
    }

    [Fact]
    public void The_user_id_for_quotas_is_not_part_of_the_key()
    {
        var messages = Conversation();
        var anna = Options();
        anna.AdditionalProperties![Cordial.Llm.Quotas.QuotaChatClient.UserIdProperty] = 1UL;
        var ben = Options();
        ben.AdditionalProperties![Cordial.Llm.Quotas.QuotaChatClient.UserIdProperty] = 2UL;

        Assert.Equal(Key(messages, anna), Key(messages, ben));
        Assert.Equal(Key(messages, Options()), Key(messages, ben));
        Assert.Equal(
            Key(messages, new ChatOptions { AdditionalProperties = [] }),
            Key(messages, new ChatOptions { AdditionalProperties = new() { [Cordial.Llm.Quotas.QuotaChatClient.UserIdProperty] = 3UL } }));
    }

    [Fact]
    public void Tool_calls_and_results_are_part_of_the_key()
    {
        static List<ChatMessage> WithResult(string result) =>
        [
            new(ChatRole.User, "time?"),
            new(ChatRole.Assistant, [new FunctionCallContent("c1", "clock", new Dictionary<string, object?> { ["tz"] = "UTC" })]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", result)]),
        ];

        Assert.Equal(Key(WithResult("12:00"), null), Key(WithResult("12:00"), null));
        Assert.NotEqual(Key(WithResult("12:00"), null), Key(WithResult("13:00"), null));
    }
}
