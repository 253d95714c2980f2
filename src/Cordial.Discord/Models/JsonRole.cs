using System.Text.Json.Serialization;

namespace Cordial.Discord.Models;

public sealed class JsonRole
{
    [JsonPropertyName("id"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong Id { get; set; }

    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    /// <summary>Permission bit set as a decimal string.</summary>
    [JsonPropertyName("permissions")]
    public string Permissions { get; set; } = "0";

    [JsonPropertyName("position")]
    public int Position { get; set; }
}
