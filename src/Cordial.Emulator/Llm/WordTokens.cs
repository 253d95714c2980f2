namespace Cordial.Emulator.Llm;

/// <summary>The emulator's tokenizer: a token is a whitespace-separated word.</summary>
internal static class WordTokens
{
    public static int Count(string text)
    {
        var count = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var white = char.IsWhiteSpace(c);
            if (!white && !inWord)
            {
                count++;
            }

            inWord = !white;
        }

        return count;
    }

    /// <summary>
    /// Splits text into one piece per word, each piece carrying the whitespace before its word (the first also
    /// carries leading whitespace, the last the trailing), so the pieces concatenate back to the exact text.
    /// Text without any word gives no pieces.
    /// </summary>
    public static List<string> Split(string text)
    {
        var pieces = new List<string>();
        var pieceStart = 0;
        var lastWordEnd = 0;
        var inWord = false;
        var seenWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var white = char.IsWhiteSpace(text[i]);
            if (!white && !inWord)
            {
                if (seenWord)
                {
                    pieces.Add(text[pieceStart..lastWordEnd]);
                    pieceStart = lastWordEnd;
                }

                seenWord = true;
            }
            else if (white && inWord)
            {
                lastWordEnd = i;
            }

            inWord = !white;
        }

        if (seenWord)
        {
            pieces.Add(text[pieceStart..]);
        }

        return pieces;
    }
}
