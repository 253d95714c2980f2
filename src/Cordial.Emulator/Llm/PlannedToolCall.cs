namespace Cordial.Emulator.Llm;

/// <summary>A tool call the emulated model makes; the arguments are streamed in <see cref="ArgumentPieces"/>.</summary>
internal sealed record PlannedToolCall(string Name, string ArgumentsJson, IReadOnlyList<string> ArgumentPieces);
