namespace Cordial.Emulator.Discord;

/// <summary>An attachment's bytes, kept in a bounded store.</summary>
internal sealed record StoredAttachment(EmulatedAttachment Attachment, byte[] Data);
