namespace Cordial.Bot.Delivery;

/// <summary>
/// Follows the fence state of a text fed in arbitrary chunks (complete lines only, like the splitter).
/// Not thread-safe.
/// </summary>
internal sealed class FenceTracker
{
    private readonly char[] _line = new char[MessageSplitter.MaxFenceLineLength + 1];
    private int _lineLength;

    /// <summary>The fence open after the complete lines fed so far.</summary>
    public CodeFence? Fence { get; private set; }

    public FenceTracker Clone()
    {
        var copy = new FenceTracker { Fence = Fence, _lineLength = _lineLength };
        _line.CopyTo(copy._line, 0);
        return copy;
    }

    public void Feed(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            var newline = text.IndexOf('\n');
            var chunk = newline < 0 ? text : text[..newline];
            if (_lineLength < _line.Length)
            {
                var count = Math.Min(chunk.Length, _line.Length - _lineLength);
                chunk[..count].CopyTo(_line.AsSpan(_lineLength));
            }

            _lineLength = (int)Math.Min((long)_lineLength + chunk.Length, int.MaxValue);
            if (newline < 0)
            {
                return;
            }

            if (_lineLength <= _line.Length)
            {
                Fence = FenceRules.Step(Fence, _line.AsSpan(0, _lineLength));
            }

            _lineLength = 0;
            text = text[(newline + 1)..];
        }
    }
}
