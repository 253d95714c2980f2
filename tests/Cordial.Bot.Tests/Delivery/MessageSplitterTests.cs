using System.Text;
using Cordial.Bot.Delivery;

namespace Cordial.Bot.Tests.Delivery;

public sealed class MessageSplitterTests
{
    [Fact]
    public void Short_text_is_one_part_unchanged()
    {
        var parts = MessageSplitter.Split("Hello **world**\n```cs\nvar x = 1;\n```");
        Assert.Equal(["Hello **world**\n```cs\nvar x = 1;\n```"], parts);
    }

    [Fact]
    public void Empty_text_has_no_parts_and_unsplits_to_empty()
    {
        Assert.Empty(MessageSplitter.Split(""));
        Assert.Equal("", MessageSplitter.Unsplit([]));
    }

    [Fact]
    public void Text_of_exactly_the_limit_is_one_part()
    {
        var text = new string('a', 2000);
        Assert.Equal([text], MessageSplitter.Split(text));
        Assert.Equal(2, MessageSplitter.Split(text + "b").Count);
    }

    [Fact]
    public void Limit_below_minimum_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MessageSplitter.Split("x", MessageSplitter.MinimumLimit - 1));
    }

    [Fact]
    public void Prefers_a_paragraph_border_over_later_line_borders()
    {
        var first = string.Join('\n', Enumerable.Range(0, 10).Select(i => $"line {i} of the first paragraph, long enough to count"));
        var second = string.Join('\n', Enumerable.Range(0, 30).Select(i => $"line {i} of the second paragraph, long enough to count"));
        var text = first + "\n\n" + second;
        var parts = MessageSplitter.Split(text, 1000);

        Assert.True(parts.Count >= 2);
        Assert.Equal(first + "\n\n", parts[0]);
        Assert.Equal(text, MessageSplitter.Unsplit(parts));
    }

    [Fact]
    public void Without_line_borders_prefers_a_sentence_then_a_word()
    {
        var sentences = string.Concat(Enumerable.Repeat("This sentence has words. ", 20)) + "and then a very long tail without any full stop " + string.Concat(Enumerable.Repeat("word ", 30));
        var parts = MessageSplitter.Split(sentences, 600);
        Assert.EndsWith("words. ", parts[0], StringComparison.Ordinal);
        Assert.Equal(sentences, MessageSplitter.Unsplit(parts));

        var words = string.Concat(Enumerable.Repeat("alpha beta gamma ", 60));
        var wordParts = MessageSplitter.Split(words, 500);
        Assert.All(wordParts.SkipLast(1), p => Assert.EndsWith(" ", p, StringComparison.Ordinal));
        Assert.Equal(words, MessageSplitter.Unsplit(wordParts));
    }

    [Fact]
    public void A_split_inside_a_fence_closes_it_and_reopens_it_with_the_same_language()
    {
        var code = string.Concat(Enumerable.Range(0, 80).Select(i => $"print('value number {i}')\n"));
        var text = "Intro line.\n```python\n" + code + "```\nOutro.";
        var parts = MessageSplitter.Split(text, 500);

        Assert.True(parts.Count >= 4);
        Assert.EndsWith("')\n```", parts[0], StringComparison.Ordinal);
        foreach (var part in parts.Skip(1).SkipLast(1))
        {
            Assert.StartsWith("```python\n", part, StringComparison.Ordinal);
            Assert.EndsWith("\n```", part, StringComparison.Ordinal);
        }

        Assert.All(parts, p => Assert.True(p.Length <= 500));
        Assert.All(parts, p => Assert.True(FenceBalance.IsBalanced(p), p));
        Assert.Equal(text, MessageSplitter.Unsplit(parts));
    }

    [Fact]
    public void Tilde_fences_with_longer_runs_and_indentation_are_reopened_exactly()
    {
        var code = string.Concat(Enumerable.Range(0, 60).Select(i => $"    echo step {i} ```not a close```\n"));
        var text = "   ~~~~ bash title\n" + code + "   ~~~~\nDone.";
        var parts = MessageSplitter.Split(text, 400);

        Assert.True(parts.Count >= 3);
        Assert.StartsWith("~~~~ bash title\n", parts[1], StringComparison.Ordinal);
        Assert.EndsWith("\n~~~~", parts[0], StringComparison.Ordinal);
        Assert.All(parts, p => Assert.True(FenceBalance.IsBalanced(p), p));
        Assert.Equal(text, MessageSplitter.Unsplit(parts));
    }

    [Fact]
    public void Never_splits_a_surrogate_pair()
    {
        var text = string.Concat(Enumerable.Repeat("😀", 700)) + "x" + string.Concat(Enumerable.Repeat("𝄞", 333));
        var parts = MessageSplitter.Split(text, 301);

        Assert.All(parts, p => Assert.True(p.Length <= 301));
        Assert.All(parts, p => Assert.False(char.IsHighSurrogate(p[^1]), "part ends with a high surrogate"));
        Assert.All(parts, p => Assert.False(char.IsLowSurrogate(p[0]), "part starts with a low surrogate"));
        Assert.Equal(text, MessageSplitter.Unsplit(parts));
    }

    [Fact]
    public void A_ten_thousand_character_line_is_hard_split_without_loss()
    {
        var text = string.Concat(Enumerable.Range(0, 10_000).Select(i => (char)('a' + (i % 26))));
        var parts = MessageSplitter.Split(text);

        Assert.Equal(5, parts.Count);
        Assert.All(parts, p => Assert.Equal(2000, p.Length));
        Assert.Equal(text, string.Concat(parts));
        Assert.Equal(text, MessageSplitter.Unsplit(parts));
    }

    [Theory]
    [InlineData(10_000, false)]
    [InlineData(10_000, true)]
    [InlineData(7, true)]
    public void Nothing_but_backticks_is_split_and_rebuilt(int count, bool insideFence)
    {
        var text = (insideFence ? "```\n" : "") + new string('`', count) + "\n" + new string('`', count);
        var parts = MessageSplitter.Split(text, 200);

        Assert.All(parts, p => Assert.True(p.Length <= 200));
        Assert.Equal(text, MessageSplitter.Unsplit(parts));
    }

    [Fact]
    public void A_fence_opened_and_never_closed_is_closed_in_every_part_but_the_last()
    {
        var text = "Look:\n```js\n" + string.Concat(Enumerable.Range(0, 200).Select(i => $"let v{i} = {i};\n"));
        var parts = MessageSplitter.Split(text, 700);

        Assert.True(parts.Count >= 3);
        Assert.All(parts.SkipLast(1), p => Assert.True(FenceBalance.IsBalanced(p), p));
        Assert.StartsWith("```js\n", parts[^1], StringComparison.Ordinal);
        Assert.False(FenceBalance.IsBalanced(parts[^1]));
        Assert.Equal(text, MessageSplitter.Unsplit(parts));
    }

    [Fact]
    public void Ten_thousand_character_answer_with_code_blocks_round_trips_in_balanced_parts()
    {
        var text = SampleAnswers.WithCodeBlocks(10_000);
        Assert.True(text.Length >= 10_000);
        foreach (var limit in new[] { MessageSplitter.PlainLimit, MessageSplitter.EmbedLimit, 777 })
        {
            var parts = MessageSplitter.Split(text, limit);
            Assert.True(parts.Count >= text.Length / limit);
            Assert.All(parts, p => Assert.InRange(p.Length, 1, limit));
            Assert.All(parts, p => Assert.True(FenceBalance.IsBalanced(p), p));
            Assert.Equal(text, MessageSplitter.Unsplit(parts));
        }

        // Reopened fences carry the language of the block they continue.
        var small = MessageSplitter.Split(text, 777);
        Assert.Contains(small, p => p.StartsWith("```python\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Splitting_a_growing_text_gives_stable_earlier_parts()
    {
        var text = SampleAnswers.WithCodeBlocks(6000);
        var expected = MessageSplitter.Split(text, 500);
        var cursor = new SplitCursor(500);
        var seen = new List<string>();
        for (var length = 1; length <= text.Length; length += 13)
        {
            cursor.Advance(text[..length]);
            seen.Clear();
            seen.AddRange(cursor.Parts);
            Assert.True(seen.Count <= expected.Count);
            Assert.Equal(expected.Take(seen.Count), seen);
        }

        cursor.Advance(text);
        cursor.Complete(text);
        Assert.Equal(expected, cursor.Parts);
    }

    [Fact]
    public void Unsplit_rejects_parts_that_do_not_reopen_a_fence()
    {
        var ex = Assert.Throws<FormatException>(() => MessageSplitter.Unsplit(["```py\ncode\n```", "more"]));
        Assert.Contains("```", ex.Message, StringComparison.Ordinal);

        // The same text without the reopened fence: a valid single part is accepted as is.
        Assert.Equal("```py\ncode", MessageSplitter.Unsplit(["```py\ncode"]));
    }

    [Fact]
    public void Crlf_line_endings_are_kept()
    {
        var builder = new StringBuilder("```sql\r\n");
        for (var i = 0; i < 50; i++)
        {
            builder.Append("SELECT ").Append(i).Append(" FROM numbers;\r\n");
        }

        builder.Append("```\r\nEnd.");
        var text = builder.ToString();
        var parts = MessageSplitter.Split(text, 300);
        Assert.True(parts.Count > 2);
        Assert.StartsWith("```sql\n", parts[1], StringComparison.Ordinal);
        Assert.Equal(text, MessageSplitter.Unsplit(parts));
    }
}
