using Cordial.Llm.Providers;

namespace Cordial.Llm.Tests.Providers;

public sealed class ProviderFailureClassifierTests
{
    [Theory]
    [InlineData(401, null, LlmFailureKind.Unauthorized)]
    [InlineData(403, null, LlmFailureKind.Unauthorized)]
    [InlineData(404, null, LlmFailureKind.ModelNotFound)]
    [InlineData(408, null, LlmFailureKind.Timeout)]
    [InlineData(413, null, LlmFailureKind.ContextTooLong)]
    [InlineData(429, null, LlmFailureKind.RateLimited)]
    [InlineData(500, null, LlmFailureKind.ProviderUnavailable)]
    [InlineData(502, "<html>bad gateway</html>", LlmFailureKind.ProviderUnavailable)]
    [InlineData(529, null, LlmFailureKind.ProviderUnavailable)]
    [InlineData(400, """{"error":{"message":"Invalid value for 'temperature'"}}""", LlmFailureKind.BadRequest)]
    [InlineData(422, """{"detail":"unprocessable"}""", LlmFailureKind.BadRequest)]
    [InlineData(400, """{"error":{"code":"context_length_exceeded"}}""", LlmFailureKind.ContextTooLong)]
    [InlineData(400, """{"error":{"message":"prompt is too long: 210000 tokens > 200000 maximum"}}""", LlmFailureKind.ContextTooLong)]
    [InlineData(400, """{"error":{"message":"This model's maximum context length is 8192 tokens"}}""", LlmFailureKind.ContextTooLong)]
    public void Maps_status_and_wording_to_a_kind(int status, string? body, LlmFailureKind expected)
    {
        Assert.Equal(expected, ProviderFailureClassifier.FromStatus(status, body));
    }
}
