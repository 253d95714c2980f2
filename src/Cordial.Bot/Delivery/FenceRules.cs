namespace Cordial.Bot.Delivery;

/// <summary>
/// The line-based code fence rules shared by <see cref="MessageSplitter"/>, its streaming cursor and
/// <see cref="MessageSplitter.Unsplit"/>. They follow CommonMark closely: a fence line is optional blanks, a run
/// of at least three <c>`</c> or <c>~</c>, and an info string (no backtick in a backtick fence's info string);
/// a closing line is a run of the same character at least as long as the opening run followed by blanks only.
/// Two deliberate differences: any indentation is accepted (code blocks nested in lists), and a line longer than
/// <see cref="MessageSplitter.MaxFenceLineLength"/> is never a fence line.
/// </summary>
internal static class FenceRules
{
    /// <summary>The fence state after one complete line (<paramref name="line"/> excludes its '\n').</summary>
    public static CodeFence? Step(CodeFence? state, ReadOnlySpan<char> line)
    {
        if (line.Length > MessageSplitter.MaxFenceLineLength + 1)
        {
            return state;
        }

        if (!line.IsEmpty && line[^1] == '\r')
        {
            line = line[..^1];
        }

        if (line.Length > MessageSplitter.MaxFenceLineLength)
        {
            return state;
        }

        var trimmed = line.TrimStart(" \t");
        if (trimmed.Length < 3 || (trimmed[0] != '`' && trimmed[0] != '~'))
        {
            return state;
        }

        var fenceChar = trimmed[0];
        var run = 1;
        while (run < trimmed.Length && trimmed[run] == fenceChar)
        {
            run++;
        }

        if (run < 3)
        {
            return state;
        }

        var rest = trimmed[run..];
        if (state is null)
        {
            if (fenceChar == '`' && rest.Contains('`'))
            {
                return null;
            }

            return new CodeFence(fenceChar, run, trimmed.TrimEnd(" \t").ToString());
        }

        return fenceChar == state.FenceChar && run >= state.Length && rest.Trim(" \t").IsEmpty ? null : state;
    }

    /// <summary>
    /// Whether a split may fall right after <paramref name="partialLine"/> (the text from the start of the line to
    /// the split point). A partial line that could still be (the start of) a fence line, or blanks only, is refused:
    /// splitting there would cut a fence line in two, and would make <see cref="MessageSplitter.Unsplit"/> ambiguous.
    /// </summary>
    public static bool MaySplitAfter(ReadOnlySpan<char> partialLine)
    {
        if (partialLine.IsEmpty || partialLine.Length > MessageSplitter.MaxFenceLineLength + 1)
        {
            return true;
        }

        var trimmed = partialLine.TrimStart(" \t");
        return !trimmed.IsEmpty && trimmed[0] != '`' && trimmed[0] != '~';
    }

    /// <summary>
    /// The fence open at the end of <paramref name="text"/>, scanning from <paramref name="start"/> (a position
    /// where <paramref name="state"/> holds), counting the unfinished last line as complete (the text has ended).
    /// </summary>
    public static CodeFence? StateAtEnd(ReadOnlySpan<char> text, int start, CodeFence? state)
    {
        var lineStart = start == 0 ? 0 : text[..start].LastIndexOf('\n') + 1;
        while (lineStart < text.Length)
        {
            var rel = text[lineStart..].IndexOf('\n');
            var lineEnd = rel < 0 ? text.Length : lineStart + rel;
            state = Step(state, text[lineStart..lineEnd]);
            lineStart = lineEnd + 1;
        }

        return state;
    }
}
