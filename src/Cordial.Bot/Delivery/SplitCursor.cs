namespace Cordial.Bot.Delivery;

/// <summary>
/// Splits a growing text incrementally: <see cref="Advance"/> finalises every part the text already determines;
/// finalised parts never change. Not thread-safe (one per reply, used by its delivery loop).
/// </summary>
internal sealed class SplitCursor
{
    private readonly int _limit;

    public SplitCursor(int limit)
    {
        MessageSplitter.ValidateLimit(limit);
        _limit = limit;
    }

    /// <summary>The parts finalised so far (after <see cref="Complete"/>: all parts).</summary>
    public List<string> Parts { get; } = [];

    /// <summary>Where the body of the part in progress starts.</summary>
    public int Position { get; private set; }

    /// <summary>The fence open at <see cref="Position"/> (reopened at the start of the part in progress).</summary>
    public CodeFence? Fence { get; private set; }

    /// <summary>
    /// Finalises the parts that <paramref name="text"/> determines. Each call's text must start with the previous
    /// call's text (a growing reply). Returns how many parts were finalised.
    /// </summary>
    public int Advance(string text)
    {
        var added = 0;
        while (true)
        {
            var split = MessageSplitter.FindSplit(text, Position, Fence, _limit);
            if (!split.Exists)
            {
                return added;
            }

            Parts.Add(MessageSplitter.Render(text, Position, split.End, Fence, split.Fence));
            Position = split.End;
            Fence = split.Fence;
            added++;
        }
    }

    /// <summary>The part in progress as it stands (possibly with an empty body).</summary>
    public string RenderTail(string text) => MessageSplitter.Render(text, Position, text.Length, Fence, null);

    /// <summary>Whether the part in progress has no body yet.</summary>
    public bool TailIsEmpty(string text) => Position >= text.Length;

    /// <summary>Adds the last part (the text has ended) after a final <see cref="Advance"/>.</summary>
    public void Complete(string text)
    {
        if (Position < text.Length)
        {
            Parts.Add(RenderTail(text));
            Position = text.Length;
        }
    }
}
