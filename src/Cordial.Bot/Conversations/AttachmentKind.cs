using Cordial.Bot.Messages;

namespace Cordial.Bot.Conversations;

/// <summary>How the bot treats an attachment.</summary>
internal enum AttachmentKind
{
    Text,
    Image,
    Unsupported,
}

internal static class AttachmentClassifier
{
    private static readonly HashSet<string> TextExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".txt", ".md", ".markdown", ".csv", ".tsv", ".json", ".jsonl", ".xml", ".yaml", ".yml", ".toml", ".ini", ".log",
        ".cs", ".fs", ".vb", ".py", ".js", ".mjs", ".ts", ".tsx", ".jsx", ".java", ".kt", ".go", ".rs", ".c", ".h", ".cpp",
        ".hpp", ".rb", ".php", ".swift", ".sh", ".bash", ".ps1", ".sql", ".html", ".css", ".scss", ".lua", ".r", ".diff", ".patch",
    };

    private static readonly HashSet<string> ImageTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "image/png", "image/jpeg", "image/gif", "image/webp",
    };

    public static AttachmentKind Classify(IncomingAttachment attachment)
    {
        var type = attachment.ContentType?.Split(';', 2)[0].Trim();
        if (type is not null && ImageTypes.Contains(type))
        {
            return AttachmentKind.Image;
        }

        if (type is not null && (type.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || type is "application/json" or "application/xml"))
        {
            return AttachmentKind.Text;
        }

        return TextExtensions.Contains(Path.GetExtension(attachment.Filename)) ? AttachmentKind.Text : AttachmentKind.Unsupported;
    }
}
