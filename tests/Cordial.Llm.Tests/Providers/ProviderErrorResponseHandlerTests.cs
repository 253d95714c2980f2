using Cordial.Llm.Providers;

namespace Cordial.Llm.Tests.Providers;

public sealed class ProviderErrorResponseHandlerTests
{
    [Theory]
    [InlineData("""{"error":{"message":"model 'x' not found","type":"invalid_request_error"}}""", "model 'x' not found")]
    [InlineData("""{"type":"error","error":{"type":"not_found_error","message":"model: claude-sonnet-4-5-20250929"}}""", "model: claude-sonnet-4-5-20250929")]
    [InlineData("""{"error":"overloaded"}""", "overloaded")]
    [InlineData("""{"message":"slow down"}""", "slow down")]
    [InlineData("<html>502 Bad Gateway</html>", null)]
    [InlineData("", null)]
    public void Extracts_the_providers_own_message(string body, string? expected)
    {
        Assert.Equal(expected, ProviderErrorResponseHandler.ExtractMessage(body));
    }

    [Fact]
    public void Never_repeats_anything_that_looks_like_a_key()
    {
        var message = ProviderErrorResponseHandler.ExtractMessage(
            """{"error":{"message":"Incorrect API key provided: sk-proj-abc123*****xyz9. Also AIzaSyD4kR2mQ8vX1pL7nT3wB6yH9cF0jE5uG2s is wrong."}}""");

        Assert.NotNull(message);
        Assert.StartsWith("Incorrect API key provided: [redacted]", message, StringComparison.Ordinal);
        Assert.DoesNotContain("abc123", message, StringComparison.Ordinal);
        Assert.DoesNotContain("AIzaSy", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shortens_long_messages()
    {
        var message = ProviderErrorResponseHandler.ExtractMessage(
            "{\"error\":{\"message\":\"" + string.Join(" ", Enumerable.Repeat("word", 200)) + "\"}}");

        Assert.NotNull(message);
        Assert.True(message.Length <= 301);
        Assert.EndsWith("…", message, StringComparison.Ordinal);
    }
}
