namespace Cordial.Emulator.Llm;

/// <summary>One message of a parsed request, reduced to what the emulator needs.</summary>
internal sealed record ChatTurn(string Role, string Text, int ImageCount, bool HasToolResult);
