using System.Globalization;

namespace Cordial.Bot.Conversations;

/// <summary>
/// Estimates how many tokens a model's tokenizer makes of a text, without a tokenizer: one pass over the characters,
/// no allocation. Shaped on BPE tokenizers such as cl100k/o200k: a common English word with its leading space is one
/// token (longer words a few), each punctuation mark one, digits go in groups of three, a line break or an indentation
/// run one; words with accented or non-Latin letters cost about one token per two characters, CJK characters about
/// 1.25 each, emoji two.
/// </summary>
/// <remarks>
/// For English prose the estimate lands near the usual "four characters per token" rule; it is meant for budgeting
/// (a few percent either way), not billing. Thread-safe (stateless).
/// </remarks>
public static class TokenEstimator
{
    /// <summary>Estimated tokens of <paramref name="text"/>; 0 only for an empty text, at least 1 otherwise.</summary>
    public static int Estimate(ReadOnlySpan<char> text)
    {
        long tokens = 0;
        var cjk = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (IsAsciiLetter(c) || (c > 0x7F && IsWordLetter(c)))
            {
                // A word: letters (ASCII or not, CJK excluded), possibly with inner apostrophes ("don't" = don + 't).
                var start = i;
                var nonAscii = false;
                var length = 0;
                while (i < text.Length)
                {
                    var w = text[i];
                    if (IsAsciiLetter(w))
                    {
                        length++;
                        i++;
                    }
                    else if (w > 0x7F && IsWordLetter(w))
                    {
                        nonAscii = true;
                        length++;
                        i++;
                    }
                    else if ((w == '\'' || w == '\u2019') && i + 1 < text.Length && IsAsciiLetter(text[i + 1]) && i > start)
                    {
                        tokens += WordTokens(length, nonAscii); // the contraction suffix is its own token
                        length = 1;
                        nonAscii = false;
                        i++;
                    }
                    else
                    {
                        break;
                    }
                }

                tokens += WordTokens(length, nonAscii);
            }
            else if (char.IsAsciiDigit(c))
            {
                var start = i;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                tokens += (i - start + 2) / 3;
            }
            else if (c == ' ')
            {
                var start = i;
                while (i < text.Length && text[i] == ' ')
                {
                    i++;
                }

                // A single space rides on the next word; a run (indentation, alignment) is a token of its own.
                tokens += i - start > 1 ? 1 : 0;
            }
            else if (c is '\n' or '\r' or '\t')
            {
                while (i < text.Length && text[i] is '\n' or '\r' or '\t' or ' ')
                {
                    i++;
                }

                tokens++;
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                tokens += 2; // emoji and other astral characters: usually two or three byte-level tokens
                i += 2;
            }
            else if (IsCjk(c))
            {
                cjk++;
                i++;
            }
            else if (c < 0x80)
            {
                // Punctuation and symbols: one token each, except runs of the same mark ("...", "```", "**", "---"),
                // which tokenizers merge in pairs or more.
                var start = i;
                while (i < text.Length && text[i] == c)
                {
                    i++;
                }

                tokens += (i - start + 1) / 2;
            }
            else
            {
                tokens++; // other symbols and marks
                i++;
            }
        }

        tokens += (cjk * 5L + 3) / 4;
        if (tokens == 0 && !text.IsEmpty)
        {
            tokens = 1;
        }

        return tokens > int.MaxValue ? int.MaxValue : (int)tokens;
    }

    /// <summary>Estimated tokens of <paramref name="text"/>; 0 for null or empty.</summary>
    public static int Estimate(string? text) => text is null ? 0 : Estimate(text.AsSpan());

    /// <summary>
    /// English words: up to six letters one token, then one more per six letters (a conservative figure for rare and
    /// compound words). Words with non-ASCII letters: one per two characters.
    /// </summary>
    private static int WordTokens(int length, bool nonAscii) =>
        length == 0 ? 0 : nonAscii ? (length + 1) / 2 : 1 + ((length - 1) / 6);

    private static bool IsAsciiLetter(char c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a';

    private static bool IsWordLetter(char c) =>
        !IsCjk(c) && CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.LowercaseLetter or UnicodeCategory.UppercaseLetter
            or UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.ModifierLetter;

    /// <summary>Kana, CJK ideographs (with extension A and compatibility), Hangul syllables, full-width forms.</summary>
    private static bool IsCjk(char c) =>
        c is (>= '\u3040' and <= '\u30FF') or (>= '\u3400' and <= '\u4DBF') or (>= '\u4E00' and <= '\u9FFF')
            or (>= '\uAC00' and <= '\uD7AF') or (>= '\uF900' and <= '\uFAFF') or (>= '\uFF00' and <= '\uFFEF') or (>= '\u3000' and <= '\u303F');
}
