using System.Text.Json;

namespace Cordial.Emulator.Tests.Llm;

/// <summary>One server-sent event as a client sees it: optional event name and its data text.</summary>
internal sealed record SseEvent(string? Name, string Data)
{
    public bool IsDone => Data == "[DONE]";

    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Data);
        return document.RootElement.Clone();
    }
}
