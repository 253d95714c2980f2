namespace Cordial.Emulator.Llm;

/// <summary>Thrown after a CutStream fault aborted the connection, to unwind the response writer.</summary>
internal sealed class StreamCutException() : Exception("The stream was cut on purpose (CutStream fault).");
