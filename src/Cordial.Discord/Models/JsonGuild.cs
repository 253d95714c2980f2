using System.Text.Json.Serialization;

namespace Cordial.Discord.Models;

/// <summary>A guild as sent in GUILD_CREATE (with channels, threads, roles and members) or as unavailable in READY.</summary>
public sealed class JsonGuild
{
    [JsonPropertyName("id"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong Id { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("owner_id"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong? OwnerId { get; set; }

    [JsonPropertyName("unavailable")]
    public bool? Unavailable { get; set; }

    [JsonPropertyName("member_count")]
    public int? MemberCount { get; set; }

    [JsonPropertyName("roles")]
    public JsonRole[]? Roles { get; set; }

    [JsonPropertyName("channels")]
    public JsonChannel[]? Channels { get; set; }

    [JsonPropertyName("threads")]
    public JsonChannel[]? Threads { get; set; }

    [JsonPropertyName("members")]
    public JsonGuildMember[]? Members { get; set; }
}
