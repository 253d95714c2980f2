using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cordial.Discord.Rest;

/// <summary>Discord's error body, also the body of a 429 (retry_after, global).</summary>
internal sealed class JsonDiscordError
{
    [JsonPropertyName("code")]
    public int? Code { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("errors")]
    public JsonElement? Errors { get; set; }

    [JsonPropertyName("retry_after")]
    public double? RetryAfter { get; set; }

    [JsonPropertyName("global")]
    public bool? Global { get; set; }
}
