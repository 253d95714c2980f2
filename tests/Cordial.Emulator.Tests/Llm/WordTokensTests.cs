using Cordial.Emulator.Llm;
using FsCheck;
using FsCheck.Fluent;

namespace Cordial.Emulator.Tests.Llm;

public sealed class WordTokensTests
{
    [Theory]
    [InlineData("", new string[0])]
    [InlineData("   ", new string[0])]
    [InlineData("one", new[] { "one" })]
    [InlineData("  one two\n\tthree  ", new[] { "  one", " two", "\n\tthree  " })]
    public void SplitKeepsWhitespaceWithTheFollowingWord(string text, string[] expected)
    {
        Assert.Equal(expected, WordTokens.Split(text));
        Assert.Equal(expected.Length, WordTokens.Count(text));
    }

    [Fact]
    public void PiecesConcatenateBackAndCountMatches()
    {
        Prop.ForAll<string>(text =>
        {
            text ??= "";
            var pieces = WordTokens.Split(text);
            var hasWord = text.Any(c => !char.IsWhiteSpace(c));
            return pieces.Count == WordTokens.Count(text)
                && (!hasWord || string.Concat(pieces) == text)
                && pieces.All(p => WordTokens.Count(p) == 1);
        }).QuickCheckThrowOnFailure();
    }
}
