namespace Cordial.Discord.Rest;

/// <summary>A file uploaded with a message (multipart <c>files[n]</c>). The bytes are kept so a retry can resend them.</summary>
public sealed class FileAttachment
{
    public FileAttachment(string filename, ReadOnlyMemory<byte> data, string contentType = "application/octet-stream")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(filename);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        if (filename.IndexOfAny(['/', '\\', '"', '\r', '\n']) >= 0)
        {
            throw new ArgumentException($"Attachment file name '{filename}' must not contain path separators, quotes or line breaks.", nameof(filename));
        }

        Filename = filename;
        Data = data;
        ContentType = contentType;
    }

    public string Filename { get; }

    public string ContentType { get; }

    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Alt text shown by Discord.</summary>
    public string? Description { get; init; }
}
