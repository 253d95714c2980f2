namespace Cordial.Emulator.Discord.Rest;

/// <summary>A file uploaded as files[n] in a multipart request.</summary>
internal sealed record PendingFile(int Index, string Filename, string ContentType, byte[] Data);
