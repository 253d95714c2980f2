namespace Cordial.Bot.Delivery;

/// <summary>
/// An open Markdown code fence: the fence character (<c>`</c> or <c>~</c>), its run length and the opening
/// line as it is repeated at the start of a continuation part (indentation removed, language kept).
/// </summary>
internal sealed class CodeFence
{
    public CodeFence(char fenceChar, int length, string openLine)
    {
        FenceChar = fenceChar;
        Length = length;
        OpenLine = openLine;
        Marker = new string(fenceChar, length);
    }

    public char FenceChar { get; }

    public int Length { get; }

    /// <summary>The opening line without indentation, trailing blanks or line break, e.g. <c>```python</c>.</summary>
    public string OpenLine { get; }

    /// <summary>The closing line the splitter adds: the fence run alone, e.g. <c>```</c>.</summary>
    public string Marker { get; }
}
