namespace Cordial.Emulator.Llm;

/// <summary>A malformed request: answered with 400 and <see cref="Exception.Message"/>.</summary>
internal sealed class ChatRequestException(string message) : Exception(message);
