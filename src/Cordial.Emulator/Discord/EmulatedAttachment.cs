namespace Cordial.Emulator.Discord;

/// <summary>An attachment stored by the emulator, served at <see cref="Path"/> (relative to the base address).</summary>
public sealed record EmulatedAttachment(ulong Id, string Filename, string ContentType, int Size, string Path);
