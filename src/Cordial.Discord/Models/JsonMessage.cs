using System.Text.Json.Serialization;

namespace Cordial.Discord.Models;

/// <summary>Message flags the bot uses.</summary>
[Flags]
public enum MessageFlags
{
    None = 0,
    Ephemeral = 1 << 6,
    SuppressNotifications = 1 << 12,
    IsComponentsV2 = 1 << 15,
}

public enum MessageType
{
    Default = 0,
    ThreadCreated = 18,
    Reply = 19,
    ChatInputCommand = 20,
    ThreadStarterMessage = 21,
}

public sealed class JsonMessage
{
    [JsonPropertyName("id"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong Id { get; set; }

    [JsonPropertyName("channel_id"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong ChannelId { get; set; }

    /// <summary>Present on gateway dispatches for guild messages; absent in REST responses.</summary>
    [JsonPropertyName("guild_id"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong? GuildId { get; set; }

    [JsonPropertyName("author")]
    public JsonUser? Author { get; set; }

    [JsonPropertyName("member")]
    public JsonGuildMember? Member { get; set; }

    [JsonPropertyName("content")]
    public string Content
    {
        get;
        set
        {
            field = value;
            HasContent = true;
        }
    } = "";

    /// <summary>
    /// Whether <c>content</c> was in the payload (or set in code). MESSAGE_UPDATE dispatches may be partial: an absent
    /// field means "unchanged", not "empty".
    /// </summary>
    [JsonIgnore]
    public bool HasContent { get; private set; }

    [JsonPropertyName("timestamp")]
    public DateTimeOffset Timestamp { get; set; }

    [JsonPropertyName("edited_timestamp")]
    public DateTimeOffset? EditedTimestamp { get; set; }

    [JsonPropertyName("tts")]
    public bool Tts { get; set; }

    [JsonPropertyName("mention_everyone")]
    public bool MentionEveryone { get; set; }

    [JsonPropertyName("mentions")]
    public JsonUser[] Mentions { get; set; } = [];

    [JsonPropertyName("mention_roles"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong[] MentionRoles { get; set; } = [];

    [JsonPropertyName("attachments")]
    public JsonAttachment[] Attachments
    {
        get;
        set
        {
            field = value;
            HasAttachments = true;
        }
    } = [];

    /// <summary>Whether <c>attachments</c> was in the payload (or set in code); see <see cref="HasContent"/>.</summary>
    [JsonIgnore]
    public bool HasAttachments { get; private set; }

    [JsonPropertyName("embeds")]
    public JsonEmbed[] Embeds { get; set; } = [];

    [JsonPropertyName("pinned")]
    public bool Pinned { get; set; }

    [JsonPropertyName("type")]
    public MessageType Type { get; set; }

    [JsonPropertyName("flags")]
    public MessageFlags Flags { get; set; }

    [JsonPropertyName("message_reference")]
    public JsonMessageReference? MessageReference { get; set; }

    /// <summary>The replied-to message: present (possibly null when deleted) on replies.</summary>
    [JsonPropertyName("referenced_message")]
    public JsonMessage? ReferencedMessage { get; set; }

    /// <summary>The thread started from this message, when there is one.</summary>
    [JsonPropertyName("thread")]
    public JsonChannel? Thread { get; set; }

    [JsonPropertyName("webhook_id"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong? WebhookId { get; set; }
}

public sealed class JsonMessageReference
{
    /// <summary>0 = DEFAULT (reply), 1 = FORWARD.</summary>
    [JsonPropertyName("type")]
    public int? Type { get; set; }

    [JsonPropertyName("message_id"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong? MessageId { get; set; }

    [JsonPropertyName("channel_id"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong? ChannelId { get; set; }

    [JsonPropertyName("guild_id"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong? GuildId { get; set; }

    /// <summary>When sending: whether to error if the referenced message no longer exists.</summary>
    [JsonPropertyName("fail_if_not_exists")]
    public bool? FailIfNotExists { get; set; }
}

public sealed class JsonAttachment
{
    [JsonPropertyName("id"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong Id { get; set; }

    [JsonPropertyName("filename")]
    public string Filename { get; set; } = "";

    [JsonPropertyName("description")]
    public string? Description { get; set; }

    [JsonPropertyName("content_type")]
    public string? ContentType { get; set; }

    [JsonPropertyName("size")]
    public long Size { get; set; }

    [JsonPropertyName("url")]
    public string Url { get; set; } = "";

    [JsonPropertyName("proxy_url")]
    public string? ProxyUrl { get; set; }

    [JsonPropertyName("width")]
    public int? Width { get; set; }

    [JsonPropertyName("height")]
    public int? Height { get; set; }
}

/// <summary>Who a message may ping. Cordial always sends one; <see cref="None"/> pings nobody.</summary>
public sealed class JsonAllowedMentions
{
    /// <summary>"roles", "users", "everyone".</summary>
    [JsonPropertyName("parse")]
    public string[] Parse { get; set; } = [];

    [JsonPropertyName("users"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong[]? Users { get; set; }

    [JsonPropertyName("roles"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong[]? Roles { get; set; }

    [JsonPropertyName("replied_user")]
    public bool? RepliedUser { get; set; }

    /// <summary>Pings nobody: not @everyone, not roles, not users, not the replied-to author.</summary>
    public static JsonAllowedMentions None => new() { Parse = [], RepliedUser = false };
}
