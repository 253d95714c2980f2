using System.Text.Json.Serialization;

namespace Cordial.Discord.Models;

public sealed class JsonGuildMember
{
    [JsonPropertyName("user")]
    public JsonUser? User { get; set; }

    [JsonPropertyName("nick")]
    public string? Nick { get; set; }

    [JsonPropertyName("roles"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong[] Roles { get; set; } = [];

    [JsonPropertyName("joined_at")]
    public DateTimeOffset? JoinedAt { get; set; }

    /// <summary>Only present in interaction payloads: the member's permissions in the channel, as a decimal string.</summary>
    [JsonPropertyName("permissions")]
    public string? Permissions { get; set; }
}
