namespace Cordial.Emulator.Discord.Control;

/// <summary>A file in a control-API message: base64 data.</summary>
internal sealed record AttachmentRequest(string Filename, string? ContentType, string DataBase64);
