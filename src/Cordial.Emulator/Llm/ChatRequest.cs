namespace Cordial.Emulator.Llm;

/// <summary>A well-formed chat request from either wire format, normalized.</summary>
internal sealed class ChatRequest
{
    public required string Endpoint { get; init; }
    public required string Model { get; init; }
    public required bool Stream { get; init; }
    public bool IncludeUsage { get; init; }
    public int? MaxTokens { get; init; }
    public required IReadOnlyList<ChatTurn> Turns { get; init; }
    public required IReadOnlyList<string> ToolNames { get; init; }

    public string LastUserText
    {
        get
        {
            var index = LastUserIndex;
            return index < 0 ? "" : Turns[index].Text;
        }
    }

    /// <summary>Index of the last user turn with text, or -1.</summary>
    public int LastUserIndex
    {
        get
        {
            for (var i = Turns.Count - 1; i >= 0; i--)
            {
                if (Turns[i].Role == "user" && Turns[i].Text.Length > 0)
                {
                    return i;
                }
            }

            return -1;
        }
    }

    /// <summary>True when a tool result arrived at or after the last user text: the tool round trip is done.</summary>
    public bool HasToolResultAfterLastUser
    {
        get
        {
            for (var i = Math.Max(LastUserIndex, 0); i < Turns.Count; i++)
            {
                if (Turns[i].HasToolResult)
                {
                    return true;
                }
            }

            return false;
        }
    }

    public int ImageCount => Turns.Sum(t => t.ImageCount);

    public int PromptTokens => Turns.Sum(t => WordTokens.Count(t.Text));
}
