using System.Buffers;
using System.Diagnostics;
using System.Text;

namespace Cordial.Bot.Delivery;

/// <summary>
/// Splits a reply into Discord-sized parts, aware of Markdown code fences, and joins parts back.
/// </summary>
/// <remarks>
/// <para>
/// A part is at most <c>limit</c> UTF-16 code units (2000 for message content, 4096 for an embed description;
/// counting code units is never more lenient than Discord's count). The splitter prefers, in order, a paragraph
/// border (after a blank line or after a code block), a line border, a sentence border, a word border; it takes the
/// first of those found in the second half of the available room, else the latest position that is allowed.
/// It never splits a surrogate pair and never cuts a fence line in two.
/// </para>
/// <para>
/// <b>The invariant.</b> Each part is <c>opening + body + closing</c>, where the bodies are consecutive,
/// non-overlapping slices of the original text that together cover all of it, in order. When a part starts
/// inside a code fence, <c>opening</c> is that fence's opening line (indentation removed, language kept) followed
/// by <c>"\n"</c>; otherwise it is empty. When a part other than the last ends inside a code fence,
/// <c>closing</c> is <c>"\n"</c> followed by the fence run (e.g. <c>"\n```"</c>); otherwise it is empty.
/// The last part never gets a closing line, so a fence the text never closes stays unclosed.
/// <see cref="Unsplit(IEnumerable{string})"/> removes exactly those added lines: <c>Unsplit(Split(x)) == x</c>
/// for every string, including lone surrogates and unbalanced fences.
/// </para>
/// <para>
/// <b>Streaming.</b> A split is only taken once the rest no longer fits in the part, and depends only on the text
/// inside the part's room plus one character (already known at that moment), so splitting a growing text yields
/// the same earlier parts as splitting the whole: once a part is final, later text never changes it.
/// </para>
/// <para>Fence rules: see <see cref="FenceRules"/> (CommonMark-like, any indentation, fence lines of at most
/// <see cref="MaxFenceLineLength"/> characters). All members are thread-safe (pure functions).</para>
/// </remarks>
public static class MessageSplitter
{
    /// <summary>Discord's limit for message content.</summary>
    public const int PlainLimit = 2000;

    /// <summary>Discord's limit for an embed description.</summary>
    public const int EmbedLimit = 4096;

    /// <summary>The smallest limit accepted: below it, the added fence lines might leave no room to progress.</summary>
    public const int MinimumLimit = 160;

    /// <summary>A line longer than this (excluding its line break) is never a fence line.</summary>
    public const int MaxFenceLineLength = 48;

    private static readonly SearchValues<char> Breaks = SearchValues.Create(" \t\u3002\uFF01\uFF1F");

    /// <summary>Splits <paramref name="text"/> into parts of at most <paramref name="limit"/> characters.</summary>
    /// <returns>The parts; none for an empty text.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is below <see cref="MinimumLimit"/>.</exception>
    public static IReadOnlyList<string> Split(string text, int limit = PlainLimit)
    {
        ArgumentNullException.ThrowIfNull(text);
        var cursor = new SplitCursor(limit);
        cursor.Advance(text);
        cursor.Complete(text);
        return cursor.Parts;
    }

    /// <summary>
    /// Rebuilds the original text from parts made by <see cref="Split"/> (or delivered by the reply streamer),
    /// removing the fence lines the splitter added. See the invariant in the type's remarks.
    /// </summary>
    /// <exception cref="FormatException">The parts do not have the shape the splitter produces.</exception>
    public static string Unsplit(IEnumerable<string> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var list = parts as IReadOnlyList<string> ?? [.. parts];
        var builder = new StringBuilder();
        var tracker = new FenceTracker();
        for (var i = 0; i < list.Count; i++)
        {
            var part = (list[i] ?? throw new ArgumentException($"Part {i} is null.", nameof(parts))).AsSpan();
            if (tracker.Fence is { } open)
            {
                if (!(part.Length > open.OpenLine.Length && part.StartsWith(open.OpenLine, StringComparison.Ordinal) && part[open.OpenLine.Length] == '\n'))
                {
                    throw new FormatException($"Part {i} starts inside a code fence but does not reopen it with '{open.OpenLine}'.");
                }

                part = part[(open.OpenLine.Length + 1)..];
            }

            if (i < list.Count - 1)
            {
                var probe = tracker.Clone();
                probe.Feed(part);
                if (probe.Fence is { } close)
                {
                    var closing = close.Marker.Length + 1;
                    if (!(part.Length >= closing && part.EndsWith(close.Marker, StringComparison.Ordinal) && part[^closing] == '\n'))
                    {
                        throw new FormatException($"Part {i} ends inside a code fence but does not close it with '{close.Marker}'.");
                    }

                    part = part[..^closing];
                }
            }

            builder.Append(part);
            tracker.Feed(part);
        }

        return builder.ToString();
    }

    internal static void ValidateLimit(int limit) =>
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, MinimumLimit);

    internal static int OpeningLength(CodeFence? fence) => fence is null ? 0 : fence.OpenLine.Length + 1;

    internal static int ClosingLength(CodeFence? fence) => fence is null ? 0 : fence.Length + 1;

    /// <summary>Builds one part: the reopened fence, the body <c>text[start..end]</c>, the closing line.</summary>
    internal static string Render(string text, int start, int end, CodeFence? open, CodeFence? close)
    {
        var length = OpeningLength(open) + (end - start) + ClosingLength(close);
        return string.Create(length, (text, start, end, open, close), static (span, s) =>
        {
            if (s.open is not null)
            {
                s.open.OpenLine.CopyTo(span);
                span[s.open.OpenLine.Length] = '\n';
                span = span[(s.open.OpenLine.Length + 1)..];
            }

            s.text.AsSpan(s.start, s.end - s.start).CopyTo(span);
            if (s.close is not null)
            {
                span = span[(s.end - s.start)..];
                span[0] = '\n';
                s.close.Marker.CopyTo(span[1..]);
            }
        });
    }

    /// <summary>
    /// Finds where the part starting at <paramref name="start"/> (inside <paramref name="startFence"/>) ends, or
    /// <see cref="SplitPoint.None"/> when the rest of the text fits in one part.
    /// </summary>
    internal static SplitPoint FindSplit(ReadOnlySpan<char> text, int start, CodeFence? startFence, int limit)
    {
        var room = limit - OpeningLength(startFence);
        if (text.Length - start <= room)
        {
            return SplitPoint.None;
        }

        // From here text.Length > max, so every position looked at below exists whatever text follows.
        var max = start + room;
        var half = start + (room / 2);
        SplitPoint paragraph = default, line = default, hard = default;
        var lineStart = start == 0 ? 0 : text[..start].LastIndexOf('\n') + 1;
        var state = startFence;
        var searchEnd = max + 1;

        // Where the second half of the room begins (line start and fence state), for the sentence/word pass.
        var secondHalfLine = -1;
        CodeFence? secondHalfState = null;
        while (lineStart < max)
        {
            var rel = text[lineStart..searchEnd].IndexOf('\n');
            var hasNewline = rel >= 0;
            var lineEnd = hasNewline ? lineStart + rel : text.Length;
            var bound = max - ClosingLength(state);
            var from = Math.Max(lineStart, start);
            var high = Math.Min(lineEnd, bound);
            var next = hasNewline ? FenceRules.Step(state, text[lineStart..lineEnd]) : state;
            var after = lineEnd + 1;
            var afterFits = hasNewline && after > start && after <= max - ClosingLength(next);
            if (high > from)
            {
                if (secondHalfLine < 0 && high >= half)
                {
                    secondHalfLine = lineStart;
                    secondHalfState = state;
                }

                // The latest position inside the line; needed only when the position after its line break is out of reach.
                var q = IsInsideSurrogatePair(text, high) ? high - 1 : high;
                if (!afterFits && q > from && FenceRules.MaySplitAfter(text[lineStart..q]))
                {
                    hard = new SplitPoint(q, state);
                }

                // Inside a code block a line border goes before the line break, so the part ends "code\n```".
                if (state is not null && hasNewline && lineEnd == high && FenceRules.MaySplitAfter(text[lineStart..lineEnd]))
                {
                    line = new SplitPoint(lineEnd, state);
                }
            }

            if (!hasNewline)
            {
                break;
            }

            if (afterFits)
            {
                hard = new SplitPoint(after, next);
                if (next is null)
                {
                    if (state is not null || text[lineStart..lineEnd].IsWhiteSpace())
                    {
                        paragraph = new SplitPoint(after, null);
                    }
                    else
                    {
                        line = new SplitPoint(after, null);
                    }
                }
            }

            state = next;
            lineStart = after;
        }

        if (paragraph.End >= half)
        {
            return paragraph;
        }

        if (line.End >= half)
        {
            return line;
        }

        if (secondHalfLine >= 0)
        {
            var (sentence, word) = FindTextBorders(text, start, secondHalfLine, secondHalfState, max, half);
            if (sentence.End >= half)
            {
                return sentence;
            }

            if (word.End >= half)
            {
                return word;
            }
        }

        // With limit >= MinimumLimit a legal position always exists: after a line break within the room, or deep
        // enough into a line longer than any fence line.
        return hard.Exists ? hard : throw new UnreachableException("No split position found; the limit is too small.");
    }

    /// <summary>The latest sentence and word borders in the second half of the room (a second, rarer pass).</summary>
    private static (SplitPoint Sentence, SplitPoint Word) FindTextBorders(ReadOnlySpan<char> text, int start, int lineStart, CodeFence? state, int max, int half)
    {
        SplitPoint sentence = default, word = default;
        var searchEnd = max + 1;
        while (lineStart < max)
        {
            var rel = text[lineStart..searchEnd].IndexOf('\n');
            var lineEnd = rel >= 0 ? lineStart + rel : text.Length;
            var from = Math.Max(lineStart, start);
            var high = Math.Min(lineEnd, max - ClosingLength(state));
            if (high > from)
            {
                FindTextBordersInLine(text, lineStart, Math.Max(from, half - 1), high, state, ref sentence, ref word);
            }

            if (rel < 0)
            {
                break;
            }

            state = FenceRules.Step(state, text[lineStart..lineEnd]);
            lineStart = lineEnd + 1;
        }

        return (sentence, word);
    }

    private static void FindTextBordersInLine(ReadOnlySpan<char> text, int lineStart, int low, int high, CodeFence? state, ref SplitPoint sentence, ref SplitPoint word)
    {
        if (high <= low)
        {
            return;
        }

        var segment = text[low..high];
        var foundWord = false;
        var i = segment.LastIndexOfAny(Breaks);
        while (i >= 0)
        {
            var at = low + i;
            var q = at + 1;
            if (!FenceRules.MaySplitAfter(text[lineStart..q]))
            {
                return;
            }

            // A part that would start with a fence character could read as a fence line: look further back.
            if (text[q] is '`' or '~')
            {
                i = segment[..i].LastIndexOfAny(Breaks);
                continue;
            }

            if (!foundWord)
            {
                word = new SplitPoint(q, state);
                foundWord = true;
            }

            var c = text[at];
            if (c is '\u3002' or '\uFF01' or '\uFF1F' || (at > 0 && text[at - 1] is '.' or '!' or '?' or '\u2026'))
            {
                sentence = new SplitPoint(q, state);
                return;
            }

            i = segment[..i].LastIndexOfAny(Breaks);
        }
    }

    private static bool IsInsideSurrogatePair(ReadOnlySpan<char> text, int position) =>
        position > 0 && position < text.Length && char.IsHighSurrogate(text[position - 1]) && char.IsLowSurrogate(text[position]);
}
