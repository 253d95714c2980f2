namespace Cordial.Emulator.Discord;

/// <summary>A file a simulated user attaches to a message.</summary>
public sealed record EmulatedAttachmentInput(string Filename, string ContentType, byte[] Data);
