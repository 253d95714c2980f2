using System.Text.Json;
using Cordial.Discord.Models;

namespace Cordial.Discord.Gateway;

/// <summary>Deserializes the <c>d</c> of a known dispatch with the source-generated <see cref="DiscordJsonContext"/>.</summary>
internal static class GatewayEventParser
{
    /// <summary>The typed event, or null for <see cref="GatewayDispatchType.Unknown"/>.</summary>
    /// <exception cref="JsonException">The data does not match the event's shape (or is null).</exception>
    public static GatewayEvent? Parse(GatewayDispatchType type, int shardId, ReadOnlySpan<byte> data)
    {
        // The span overloads read the data in one pass (the reader overloads first skip to find its end).
        var ctx = DiscordJsonContext.Default;
        return type switch
        {
            GatewayDispatchType.MessageCreate => new MessageCreateEvent(shardId, Required(JsonSerializer.Deserialize(data, ctx.JsonMessage))),
            GatewayDispatchType.MessageUpdate => new MessageUpdateEvent(shardId, Required(JsonSerializer.Deserialize(data, ctx.JsonMessage))),
            GatewayDispatchType.MessageDelete => new MessageDeleteEvent(shardId, Required(JsonSerializer.Deserialize(data, ctx.JsonMessageDelete))),
            GatewayDispatchType.InteractionCreate => new InteractionCreateEvent(shardId, Required(JsonSerializer.Deserialize(data, ctx.JsonInteraction))),
            GatewayDispatchType.GuildCreate => new GuildCreateEvent(shardId, Required(JsonSerializer.Deserialize(data, ctx.JsonGuild))),
            GatewayDispatchType.ChannelCreate => new ChannelCreateEvent(shardId, Required(JsonSerializer.Deserialize(data, ctx.JsonChannel))),
            GatewayDispatchType.ChannelUpdate => new ChannelUpdateEvent(shardId, Required(JsonSerializer.Deserialize(data, ctx.JsonChannel))),
            GatewayDispatchType.ChannelDelete => new ChannelDeleteEvent(shardId, Required(JsonSerializer.Deserialize(data, ctx.JsonChannel))),
            GatewayDispatchType.ThreadCreate => new ThreadCreateEvent(shardId, Required(JsonSerializer.Deserialize(data, ctx.JsonChannel))),
            GatewayDispatchType.ThreadUpdate => new ThreadUpdateEvent(shardId, Required(JsonSerializer.Deserialize(data, ctx.JsonChannel))),
            GatewayDispatchType.Ready => new ReadyEvent(shardId, Required(JsonSerializer.Deserialize(data, ctx.JsonReady))),
            GatewayDispatchType.Resumed => new ResumedEvent(shardId),
            GatewayDispatchType.VoiceStateUpdate => new VoiceStateUpdateEvent(shardId, Required(JsonSerializer.Deserialize(data, ctx.JsonVoiceState))),
            GatewayDispatchType.VoiceServerUpdate => new VoiceServerUpdateEvent(shardId, Required(JsonSerializer.Deserialize(data, ctx.JsonVoiceServerUpdate))),
            _ => null,
        };
    }

    /// <summary>Deserializes the value at the reader's current token (left on the value's last token).</summary>
    /// <exception cref="JsonException">The data does not match the event's shape (or is null).</exception>
    public static GatewayEvent? Parse(GatewayDispatchType type, int shardId, ref Utf8JsonReader data)
    {
        var ctx = DiscordJsonContext.Default;
        return type switch
        {
            GatewayDispatchType.MessageCreate => new MessageCreateEvent(shardId, Required(JsonSerializer.Deserialize(ref data, ctx.JsonMessage))),
            GatewayDispatchType.MessageUpdate => new MessageUpdateEvent(shardId, Required(JsonSerializer.Deserialize(ref data, ctx.JsonMessage))),
            GatewayDispatchType.MessageDelete => new MessageDeleteEvent(shardId, Required(JsonSerializer.Deserialize(ref data, ctx.JsonMessageDelete))),
            GatewayDispatchType.InteractionCreate => new InteractionCreateEvent(shardId, Required(JsonSerializer.Deserialize(ref data, ctx.JsonInteraction))),
            GatewayDispatchType.GuildCreate => new GuildCreateEvent(shardId, Required(JsonSerializer.Deserialize(ref data, ctx.JsonGuild))),
            GatewayDispatchType.ChannelCreate => new ChannelCreateEvent(shardId, Required(JsonSerializer.Deserialize(ref data, ctx.JsonChannel))),
            GatewayDispatchType.ChannelUpdate => new ChannelUpdateEvent(shardId, Required(JsonSerializer.Deserialize(ref data, ctx.JsonChannel))),
            GatewayDispatchType.ChannelDelete => new ChannelDeleteEvent(shardId, Required(JsonSerializer.Deserialize(ref data, ctx.JsonChannel))),
            GatewayDispatchType.ThreadCreate => new ThreadCreateEvent(shardId, Required(JsonSerializer.Deserialize(ref data, ctx.JsonChannel))),
            GatewayDispatchType.ThreadUpdate => new ThreadUpdateEvent(shardId, Required(JsonSerializer.Deserialize(ref data, ctx.JsonChannel))),
            GatewayDispatchType.Ready => new ReadyEvent(shardId, Required(JsonSerializer.Deserialize(ref data, ctx.JsonReady))),
            GatewayDispatchType.Resumed => SkipValue(ref data, new ResumedEvent(shardId)),
            GatewayDispatchType.VoiceStateUpdate => new VoiceStateUpdateEvent(shardId, Required(JsonSerializer.Deserialize(ref data, ctx.JsonVoiceState))),
            GatewayDispatchType.VoiceServerUpdate => new VoiceServerUpdateEvent(shardId, Required(JsonSerializer.Deserialize(ref data, ctx.JsonVoiceServerUpdate))),
            _ => null,
        };
    }

    /// <summary>Reads HELLO's heartbeat_interval (milliseconds); null when missing or not positive.</summary>
    public static TimeSpan? ReadHeartbeatInterval(ReadOnlySpan<byte> data)
    {
        try
        {
            var reader = new Utf8JsonReader(data);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isInterval = reader.ValueTextEquals("heartbeat_interval"u8);
                reader.Read();
                if (isInterval && reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var ms) && ms > 0 && ms < int.MaxValue)
                {
                    return TimeSpan.FromMilliseconds(ms);
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    /// <summary>INVALID_SESSION's d: true when the session may be resumed.</summary>
    public static bool ReadResumable(ReadOnlySpan<byte> data) => data.SequenceEqual("true"u8);

    /// <summary>RESUMED carries nothing we need; its d (null or an object) is passed over.</summary>
    private static GatewayEvent SkipValue(ref Utf8JsonReader data, GatewayEvent evt)
    {
        data.Skip();
        return evt;
    }

    private static T Required<T>(T? value)
        where T : class =>
        value ?? throw new JsonException("The dispatch data is null.");
}
