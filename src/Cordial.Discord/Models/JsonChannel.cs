using System.Text.Json.Serialization;

namespace Cordial.Discord.Models;

/// <summary>Channel types the bot cares about (Discord's numeric values).</summary>
public enum ChannelType
{
    GuildText = 0,
    DirectMessage = 1,
    GuildVoice = 2,
    GroupDirectMessage = 3,
    GuildCategory = 4,
    GuildAnnouncement = 5,
    AnnouncementThread = 10,
    PublicThread = 11,
    PrivateThread = 12,
    GuildStageVoice = 13,
    GuildForum = 15,
}

public sealed class JsonChannel
{
    [JsonPropertyName("id"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong Id { get; set; }

    [JsonPropertyName("type")]
    public ChannelType Type { get; set; }

    [JsonPropertyName("guild_id"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong? GuildId { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>For a channel: its category. For a thread: the channel it lives in.</summary>
    [JsonPropertyName("parent_id"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong? ParentId { get; set; }

    [JsonPropertyName("owner_id"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong? OwnerId { get; set; }

    /// <summary>The channel's newest message (null: none). Only meaningful when <see cref="HasLastMessageId"/>.</summary>
    [JsonPropertyName("last_message_id"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong? LastMessageId
    {
        get;
        set
        {
            field = value;
            HasLastMessageId = true;
        }
    }

    /// <summary>Whether the object carried last_message_id (null there means an empty channel; absent means not said).</summary>
    [JsonIgnore]
    public bool HasLastMessageId { get; private set; }

    [JsonPropertyName("position")]
    public int? Position { get; set; }

    [JsonPropertyName("topic")]
    public string? Topic { get; set; }

    [JsonPropertyName("nsfw")]
    public bool? Nsfw { get; set; }

    [JsonPropertyName("rate_limit_per_user")]
    public int? RateLimitPerUser { get; set; }

    [JsonPropertyName("recipients")]
    public JsonUser[]? Recipients { get; set; }

    [JsonPropertyName("thread_metadata")]
    public JsonThreadMetadata? ThreadMetadata { get; set; }
}

public sealed class JsonThreadMetadata
{
    [JsonPropertyName("archived")]
    public bool Archived { get; set; }

    [JsonPropertyName("auto_archive_duration")]
    public int AutoArchiveDuration { get; set; }

    [JsonPropertyName("locked")]
    public bool Locked { get; set; }
}
