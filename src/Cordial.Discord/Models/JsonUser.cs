using System.Text.Json.Serialization;

namespace Cordial.Discord.Models;

public sealed class JsonUser
{
    [JsonPropertyName("id"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong Id { get; set; }

    [JsonPropertyName("username")]
    public string Username { get; set; } = "";

    [JsonPropertyName("global_name")]
    public string? GlobalName { get; set; }

    [JsonPropertyName("discriminator")]
    public string? Discriminator { get; set; }

    [JsonPropertyName("avatar")]
    public string? Avatar { get; set; }

    [JsonPropertyName("bot")]
    public bool Bot { get; set; }

    /// <summary>Present on MESSAGE_CREATE mentions: the member object without its user.</summary>
    [JsonPropertyName("member")]
    public JsonGuildMember? Member { get; set; }
}
