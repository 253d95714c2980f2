using System.Text.Json.Serialization;

namespace Cordial.Discord.Models;

/// <summary>
/// Source-generated metadata for Discord's shared wire models. Gateway- and REST-specific payloads have
/// their own contexts next to their code; this one holds the objects both sides exchange.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    UseStringEnumConverter = false)]
[JsonSerializable(typeof(JsonUser))]
[JsonSerializable(typeof(JsonGuildMember))]
[JsonSerializable(typeof(JsonRole))]
[JsonSerializable(typeof(JsonChannel))]
[JsonSerializable(typeof(JsonChannel[]))]
[JsonSerializable(typeof(JsonGuild))]
[JsonSerializable(typeof(JsonMessage))]
[JsonSerializable(typeof(JsonMessage[]))]
[JsonSerializable(typeof(JsonMessageDelete))]
[JsonSerializable(typeof(JsonInteraction))]
[JsonSerializable(typeof(JsonInteractionResponse))]
[JsonSerializable(typeof(JsonInteractionCallbackResponse))]
[JsonSerializable(typeof(JsonApplicationCommand))]
[JsonSerializable(typeof(JsonApplicationCommand[]))]
[JsonSerializable(typeof(JsonReady))]
[JsonSerializable(typeof(JsonGatewayBot))]
[JsonSerializable(typeof(JsonVoiceState))]
[JsonSerializable(typeof(JsonVoiceServerUpdate))]
public sealed partial class DiscordJsonContext : JsonSerializerContext;
