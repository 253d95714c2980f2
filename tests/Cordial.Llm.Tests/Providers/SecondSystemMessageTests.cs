using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Cordial.Llm.Tests.Providers;

/// <summary>
/// The bot sends a conversation summary as a second system message after the system prompt: both providers must carry
/// it to the model (OpenAI as a system message, Anthropic inside its top-level system field).
/// </summary>
public sealed class SecondSystemMessageTests
{
    [Theory]
    [InlineData("claude")]
    [InlineData("small")]
    public async Task A_second_system_message_reaches_the_model(string model)
    {
        await using var providers = await EmulatedProviders.StartAsync();
        ChatMessage[] messages =
        [
            new(ChatRole.System, "You are terse."),
            new(ChatRole.System, "Summary of the earlier conversation: SUMMARY-MARKER."),
            new(ChatRole.User, "what did we say?"),
        ];

        await providers.Client(model).GetResponseAsync(messages, new ChatOptions(), TestContext.Current.CancellationToken);

        using var body = JsonDocument.Parse(providers.LastRequest.RawBody);
        var root = body.RootElement;
        var system = root.TryGetProperty("system", out var top)
            ? top.ToString()
            : string.Join('\n', root.GetProperty("messages").EnumerateArray()
                .Where(m => m.GetProperty("role").GetString() is "system" or "developer")
                .Select(m => m.GetProperty("content").ToString()));
        Assert.Contains("You are terse.", system, StringComparison.Ordinal);
        Assert.Contains("SUMMARY-MARKER", system, StringComparison.Ordinal);
    }
}
