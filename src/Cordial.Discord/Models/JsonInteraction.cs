using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cordial.Discord.Models;

public enum InteractionType
{
    Ping = 1,
    ApplicationCommand = 2,
    MessageComponent = 3,
    ApplicationCommandAutocomplete = 4,
    ModalSubmit = 5,
}

public enum InteractionCallbackType
{
    Pong = 1,
    ChannelMessageWithSource = 4,
    DeferredChannelMessageWithSource = 5,
    DeferredUpdateMessage = 6,
    UpdateMessage = 7,
    ApplicationCommandAutocompleteResult = 8,
    Modal = 9,
}

public sealed class JsonInteraction
{
    [JsonPropertyName("id"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong Id { get; set; }

    [JsonPropertyName("application_id"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong ApplicationId { get; set; }

    [JsonPropertyName("type")]
    public InteractionType Type { get; set; }

    [JsonPropertyName("data")]
    public JsonInteractionData? Data { get; set; }

    [JsonPropertyName("guild_id"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong? GuildId { get; set; }

    [JsonPropertyName("channel_id"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong? ChannelId { get; set; }

    [JsonPropertyName("channel")]
    public JsonChannel? Channel { get; set; }

    /// <summary>Set in guilds.</summary>
    [JsonPropertyName("member")]
    public JsonGuildMember? Member { get; set; }

    /// <summary>Set in DMs.</summary>
    [JsonPropertyName("user")]
    public JsonUser? User { get; set; }

    [JsonPropertyName("token")]
    public string Token { get; set; } = "";

    [JsonPropertyName("version")]
    public int Version { get; set; } = 1;

    [JsonPropertyName("locale")]
    public string? Locale { get; set; }
}

public sealed class JsonInteractionData
{
    [JsonPropertyName("id"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong Id { get; set; }

    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("type")]
    public int Type { get; set; } = 1;

    [JsonPropertyName("options")]
    public JsonInteractionOption[]? Options { get; set; }

    [JsonPropertyName("custom_id")]
    public string? CustomId { get; set; }
}

public sealed class JsonInteractionOption
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("type")]
    public ApplicationCommandOptionType Type { get; set; }

    /// <summary>String, integer, number or boolean, depending on <see cref="Type"/>.</summary>
    [JsonPropertyName("value")]
    public JsonElement? Value { get; set; }

    [JsonPropertyName("focused")]
    public bool? Focused { get; set; }

    [JsonPropertyName("options")]
    public JsonInteractionOption[]? Options { get; set; }
}

/// <summary>The body of POST /interactions/{id}/{token}/callback.</summary>
public sealed class JsonInteractionResponse
{
    [JsonPropertyName("type")]
    public InteractionCallbackType Type { get; set; }

    [JsonPropertyName("data")]
    public JsonInteractionCallbackData? Data { get; set; }
}

/// <summary>What POST /interactions/{id}/{token}/callback?with_response=true returns (the parts the bot reads).</summary>
public sealed class JsonInteractionCallbackResponse
{
    [JsonPropertyName("interaction")]
    public JsonInteractionCallback? Interaction { get; set; }
}

/// <summary>The interaction a callback answered, and the message the callback made.</summary>
public sealed class JsonInteractionCallback
{
    [JsonPropertyName("id"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong Id { get; set; }

    /// <summary>The response message (for a deferral, the "thinking…" message the answer later fills); null when none.</summary>
    [JsonPropertyName("response_message_id"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong? ResponseMessageId { get; set; }

    /// <summary>Whether the response message is still in its loading state (a deferral).</summary>
    [JsonPropertyName("response_message_loading")]
    public bool? ResponseMessageLoading { get; set; }
}

public sealed class JsonInteractionCallbackData
{
    [JsonPropertyName("content")]
    public string? Content { get; set; }

    [JsonPropertyName("embeds")]
    public JsonEmbed[]? Embeds { get; set; }

    [JsonPropertyName("allowed_mentions")]
    public JsonAllowedMentions? AllowedMentions { get; set; }

    [JsonPropertyName("flags")]
    public MessageFlags? Flags { get; set; }

    /// <summary>For autocomplete results.</summary>
    [JsonPropertyName("choices")]
    public JsonApplicationCommandOptionChoice[]? Choices { get; set; }
}
