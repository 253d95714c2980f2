using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cordial.Discord.Models;

public enum ApplicationCommandOptionType
{
    SubCommand = 1,
    SubCommandGroup = 2,
    String = 3,
    Integer = 4,
    Boolean = 5,
    User = 6,
    Channel = 7,
    Role = 8,
    Mentionable = 9,
    Number = 10,
    Attachment = 11,
}

public sealed class JsonApplicationCommand
{
    [JsonPropertyName("id"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong? Id { get; set; }

    [JsonPropertyName("application_id"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong? ApplicationId { get; set; }

    [JsonPropertyName("guild_id"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong? GuildId { get; set; }

    /// <summary>1 = CHAT_INPUT (slash command).</summary>
    [JsonPropertyName("type")]
    public int Type { get; set; } = 1;

    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("description")]
    public string Description { get; set; } = "";

    [JsonPropertyName("options")]
    public JsonApplicationCommandOption[]? Options { get; set; }

    /// <summary>Permission bit set as a decimal string; "0" = admins only by default.</summary>
    [JsonPropertyName("default_member_permissions")]
    public string? DefaultMemberPermissions { get; set; }

    /// <summary>Interaction contexts: 0 guild, 1 bot DM, 2 private channel.</summary>
    [JsonPropertyName("contexts")]
    public int[]? Contexts { get; set; }
}

public sealed class JsonApplicationCommandOption
{
    [JsonPropertyName("type")]
    public ApplicationCommandOptionType Type { get; set; }

    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("description")]
    public string Description { get; set; } = "";

    [JsonPropertyName("required")]
    public bool? Required { get; set; }

    [JsonPropertyName("autocomplete")]
    public bool? Autocomplete { get; set; }

    [JsonPropertyName("choices")]
    public JsonApplicationCommandOptionChoice[]? Choices { get; set; }

    [JsonPropertyName("max_length")]
    public int? MaxLength { get; set; }
}

public sealed class JsonApplicationCommandOptionChoice
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("value")]
    public JsonElement Value { get; set; }
}
