using System.Text.Json.Serialization;
using Cordial.Discord.Models;

namespace Cordial.Discord.Rest;

/// <summary>
/// Body of "create message", of interaction follow-ups and of interaction message callbacks.
/// <see cref="AllowedMentions"/> is always sent and defaults to <see cref="JsonAllowedMentions.None"/>, so text
/// from a model can never ping @everyone, a role or a user unless the caller says so.
/// </summary>
public sealed class MessageCreate
{
    private JsonAllowedMentions _allowedMentions = JsonAllowedMentions.None;

    /// <summary>Up to 2000 characters.</summary>
    [JsonPropertyName("content")]
    public string? Content { get; set; }

    /// <summary>Up to 10 embeds.</summary>
    [JsonPropertyName("embeds")]
    public IReadOnlyList<JsonEmbed>? Embeds { get; set; }

    /// <summary>Who the message may ping. Never null.</summary>
    /// <value>Default <see cref="JsonAllowedMentions.None"/>.</value>
    [JsonPropertyName("allowed_mentions")]
    public JsonAllowedMentions AllowedMentions
    {
        get => _allowedMentions;
        set => _allowedMentions = value ?? throw new ArgumentNullException(nameof(value), "Allowed mentions are required; use JsonAllowedMentions.None to ping nobody.");
    }

    /// <summary>Makes the message a reply.</summary>
    [JsonPropertyName("message_reference")]
    public JsonMessageReference? MessageReference { get; set; }

    /// <summary>SuppressNotifications, Ephemeral (interactions only), IsComponentsV2.</summary>
    [JsonPropertyName("flags")]
    public MessageFlags? Flags { get; set; }

    /// <summary>Files to upload (sent as multipart form data); up to 10.</summary>
    [JsonIgnore]
    public IReadOnlyList<FileAttachment> Files { get; set; } = [];

    [JsonInclude, JsonPropertyName("attachments")]
    internal JsonAttachmentUpload[]? AttachmentUploads =>
        Files is { Count: > 0 } files
            ? [.. files.Select((f, i) => new JsonAttachmentUpload { Id = i, Filename = f.Filename, Description = f.Description })]
            : null;

    internal void Validate(bool requireBody = true)
    {
        MessageLimits.Check(Content, Embeds);
        if (Files is { Count: > MessageLimits.MaxFiles })
        {
            throw new ArgumentException($"A message carries at most {MessageLimits.MaxFiles} files (got {Files.Count}).");
        }

        if (requireBody && string.IsNullOrEmpty(Content) && Embeds is not { Count: > 0 } && Files is not { Count: > 0 })
        {
            throw new ArgumentException("A message needs content, an embed or a file.");
        }
    }
}
