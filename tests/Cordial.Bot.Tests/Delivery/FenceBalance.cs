using Cordial.Bot.Delivery;

namespace Cordial.Bot.Tests.Delivery;

/// <summary>Test helper: the fence open at the end of a text on its own (last line counted as complete).</summary>
internal static class FenceBalance
{
    public static bool IsBalanced(string part) => FenceRules.StateAtEnd(part, 0, null) is null;

    public static int CountSurrogatePairs(string text)
    {
        var count = 0;
        for (var i = 0; i + 1 < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && char.IsLowSurrogate(text[i + 1]))
            {
                count++;
                i++;
            }
        }

        return count;
    }
}
