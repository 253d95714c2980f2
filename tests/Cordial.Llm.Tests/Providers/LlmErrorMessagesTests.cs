using Cordial.Llm.Providers;

namespace Cordial.Llm.Tests.Providers;

public sealed class LlmErrorMessagesTests
{
    [Theory]
    [InlineData(LlmFailureKind.RateLimited, 20.0, "The model is rate limited; try again in 20 s.")]
    [InlineData(LlmFailureKind.RateLimited, 0.2, "The model is rate limited; try again in 1 s.")]
    [InlineData(LlmFailureKind.RateLimited, 90.0, "The model is rate limited; try again in 2 min.")]
    [InlineData(LlmFailureKind.RateLimited, null, "The model is rate limited; try again in a moment.")]
    [InlineData(LlmFailureKind.ProviderUnavailable, null, "The model provider is unavailable right now.")]
    [InlineData(LlmFailureKind.ContextTooLong, null, "The conversation is too long for this model.")]
    [InlineData(LlmFailureKind.ModelNotFound, null, "Model 'fast' was not found at its provider.")]
    public void Formats_one_line_per_kind(LlmFailureKind kind, double? retryAfterSeconds, string expected)
    {
        var exception = new LlmProviderException(kind, "internal detail")
        {
            Model = "fast",
            RetryAfter = retryAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null,
        };

        Assert.Equal(expected, LlmErrorMessages.Format(exception));
    }

    [Fact]
    public void Every_kind_has_a_line_without_internals()
    {
        foreach (var kind in Enum.GetValues<LlmFailureKind>())
        {
            var line = LlmErrorMessages.Format(new LlmProviderException(kind, "secret internal detail") { Model = "m" });
            Assert.False(string.IsNullOrWhiteSpace(line));
            Assert.DoesNotContain("secret", line, StringComparison.Ordinal);
            Assert.EndsWith(".", line, StringComparison.Ordinal);
        }
    }
}
