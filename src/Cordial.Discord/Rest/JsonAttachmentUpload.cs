using System.Text.Json.Serialization;

namespace Cordial.Discord.Rest;

/// <summary>The "attachments" entry that ties multipart part files[n] to a file name.</summary>
internal sealed class JsonAttachmentUpload
{
    [JsonPropertyName("id")]
    public int Id { get; set; }

    [JsonPropertyName("filename")]
    public string Filename { get; set; } = "";

    [JsonPropertyName("description")]
    public string? Description { get; set; }
}
