using System.Text.Json.Serialization;
using Cordial.Discord.Models;

namespace Cordial.Discord.Rest;

/// <summary>
/// Body of "edit message" and "edit original interaction response". Null fields are left unchanged;
/// <see cref="AllowedMentions"/> is always sent and defaults to <see cref="JsonAllowedMentions.None"/>.
/// </summary>
public sealed class MessageEdit
{
    private JsonAllowedMentions _allowedMentions = JsonAllowedMentions.None;

    /// <summary>Up to 2000 characters; null leaves the content as it is.</summary>
    [JsonPropertyName("content")]
    public string? Content { get; set; }

    /// <summary>Up to 10 embeds; null leaves them, empty removes them.</summary>
    [JsonPropertyName("embeds")]
    public IReadOnlyList<JsonEmbed>? Embeds { get; set; }

    /// <summary>Who the edited message may ping. Never null.</summary>
    /// <value>Default <see cref="JsonAllowedMentions.None"/>.</value>
    [JsonPropertyName("allowed_mentions")]
    public JsonAllowedMentions AllowedMentions
    {
        get => _allowedMentions;
        set => _allowedMentions = value ?? throw new ArgumentNullException(nameof(value), "Allowed mentions are required; use JsonAllowedMentions.None to ping nobody.");
    }

    [JsonPropertyName("flags")]
    public MessageFlags? Flags { get; set; }

    internal void Validate() => MessageLimits.Check(Content, Embeds);
}
