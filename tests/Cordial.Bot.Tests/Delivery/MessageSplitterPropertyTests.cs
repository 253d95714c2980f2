using Cordial.Bot.Delivery;
using FsCheck;
using FsCheck.Fluent;

namespace Cordial.Bot.Tests.Delivery;

/// <summary>FsCheck properties of the splitter over arbitrary strings and over Markdown-shaped text.</summary>
public sealed class MessageSplitterPropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(400);

    /// <summary>Markdown-ish text: prose, inline code, fenced blocks (``` and ~~~ with languages), surrogates, long runs.</summary>
    internal static Gen<string> MarkdownText()
    {
        var fragments = Gen.OneOf(
            Gen.Elements(
                "word ", "Hello world. ", "Why? ", "yes! ", "a", "x", " ", "\n", "\n\n", "\r\n", "`inline` ", "``two`` ",
                "\n```\n", "\n```python\n", "\n```js\n", "\n~~~\n", "\n~~~~ text\n", "\n  ```\n", "\n```cs title\n",
                "😀", "𝄞 ", "\uD800", "\uDC00", "。", "end.\n", "    indented code\n", "- item\n"),
            Gen.Choose(1, 400).Select(n => new string('a', n)),
            Gen.Choose(1, 120).Select(n => string.Concat(Enumerable.Repeat("😀", n))));
        return Gen.Sized(size => Gen.ListOf(fragments, size * 3).Select(string.Concat));
    }

    private static Arbitrary<(string Text, int Limit)> MarkdownCase() =>
        Gen.Zip(MarkdownText(), Gen.Choose(MessageSplitter.MinimumLimit, 700)).ToArbitrary();

    private static Arbitrary<(string Text, int Limit)> AnyStringCase() =>
        Gen.Zip(
            ArbMap.Default.GeneratorFor<string>().Where(s => s is not null).SelectMany(s => Gen.Choose(1, 60).Select(k => string.Concat(Enumerable.Repeat(s, k)))),
            Gen.Choose(MessageSplitter.MinimumLimit, 400)).ToArbitrary();

    [Fact]
    public void Unsplit_of_split_is_the_original_for_any_string() =>
        Check.One(Runs, Prop.ForAll(AnyStringCase(), c => MessageSplitter.Unsplit(MessageSplitter.Split(c.Text, c.Limit)) == c.Text));

    [Fact]
    public void Unsplit_of_split_is_the_original_for_markdown() =>
        Check.One(Runs, Prop.ForAll(MarkdownCase(), c => MessageSplitter.Unsplit(MessageSplitter.Split(c.Text, c.Limit)) == c.Text));

    [Fact]
    public void Every_part_fits_the_limit_and_has_text() =>
        Check.One(Runs, Prop.ForAll(MarkdownCase(), c =>
            MessageSplitter.Split(c.Text, c.Limit).All(p => p.Length > 0 && p.Length <= c.Limit)));

    [Fact]
    public void Every_part_fits_the_limit_for_any_string() =>
        Check.One(Runs, Prop.ForAll(AnyStringCase(), c =>
            MessageSplitter.Split(c.Text, c.Limit).All(p => p.Length > 0 && p.Length <= c.Limit)));

    [Fact]
    public void Fences_are_balanced_in_every_part_but_an_unclosed_last_one() =>
        Check.One(Runs, Prop.ForAll(MarkdownCase(), c =>
        {
            var parts = MessageSplitter.Split(c.Text, c.Limit);
            var textBalanced = FenceBalance.IsBalanced(c.Text);
            return parts.SkipLast(1).All(FenceBalance.IsBalanced)
                && (parts.Count == 0 || FenceBalance.IsBalanced(parts[^1]) == textBalanced);
        }));

    [Fact]
    public void Surrogate_pairs_are_never_cut() =>
        Check.One(Runs, Prop.ForAll(MarkdownCase(), c =>
            MessageSplitter.Split(c.Text, c.Limit).Sum(FenceBalance.CountSurrogatePairs) == FenceBalance.CountSurrogatePairs(c.Text)));

    [Fact]
    public void Splitting_any_prefix_gives_a_prefix_of_the_final_parts() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(150), Prop.ForAll(MarkdownCase(), c =>
        {
            var expected = MessageSplitter.Split(c.Text, c.Limit);
            var cursor = new SplitCursor(c.Limit);
            var step = Math.Max(1, c.Text.Length / 40);
            for (var length = 0; length < c.Text.Length; length += step)
            {
                cursor.Advance(c.Text[..length]);
                if (cursor.Parts.Count > expected.Count || !expected.Take(cursor.Parts.Count).SequenceEqual(cursor.Parts))
                {
                    return false;
                }
            }

            cursor.Advance(c.Text);
            cursor.Complete(c.Text);
            return cursor.Parts.SequenceEqual(expected);
        }));
}
