using System.Buffers;
using System.Text.Json;

namespace Cordial.Discord.Gateway;

/// <summary>Writes outbound payloads as UTF-8 JSON. The IDENTIFY/RESUME bytes hold the token: never log them.</summary>
internal static class GatewayPayloadWriter
{
    public static byte[] Heartbeat(int? sequence)
    {
        return Write(sequence, static (w, seq) =>
        {
            w.WriteNumber("op", (int)GatewayOpCode.Heartbeat);
            if (seq is { } s)
            {
                w.WriteNumber("d", s);
            }
            else
            {
                w.WriteNull("d");
            }
        });
    }

    public static byte[] Identify(string token, GatewayIntents intents, int shardId, int shardCount, int largeThreshold, GatewayIdentifyProperties properties, bool compressPayloads = false)
    {
        return Write((token, intents, shardId, shardCount, largeThreshold, properties, compressPayloads), static (w, a) =>
        {
            w.WriteNumber("op", (int)GatewayOpCode.Identify);
            w.WriteStartObject("d");
            w.WriteString("token", a.token);
            w.WriteNumber("intents", (int)a.intents);
            w.WriteStartObject("properties");
            w.WriteString("os", a.properties.Os);
            w.WriteString("browser", a.properties.Browser);
            w.WriteString("device", a.properties.Device);
            w.WriteEndObject();
            w.WriteBoolean("compress", a.compressPayloads);
            w.WriteNumber("large_threshold", a.largeThreshold);
            w.WriteStartArray("shard");
            w.WriteNumberValue(a.shardId);
            w.WriteNumberValue(a.shardCount);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    public static byte[] Resume(string token, string sessionId, int? sequence)
    {
        return Write((token, sessionId, sequence), static (w, a) =>
        {
            w.WriteNumber("op", (int)GatewayOpCode.Resume);
            w.WriteStartObject("d");
            w.WriteString("token", a.token);
            w.WriteString("session_id", a.sessionId);
            if (a.sequence is { } s)
            {
                w.WriteNumber("seq", s);
            }
            else
            {
                w.WriteNull("seq");
            }

            w.WriteEndObject();
        });
    }

    /// <summary>The <c>d</c> of an op 3 presence update.</summary>
    public static byte[] PresenceData(GatewayPresence presence)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNull("since");
            w.WriteStartArray("activities");
            if (presence.ActivityName is { Length: > 0 } name)
            {
                w.WriteStartObject();
                w.WriteString("name", presence.ActivityType == 4 ? "Custom Status" : name);
                w.WriteNumber("type", presence.ActivityType);
                if (presence.ActivityType == 4)
                {
                    w.WriteString("state", name);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("status", presence.Status);
            w.WriteBoolean("afk", presence.Afk);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>{"op":op,"d":data}; <paramref name="data"/> must be one JSON value (validated).</summary>
    /// <exception cref="ArgumentException">The data is not valid JSON.</exception>
    public static byte[] Frame(GatewayOpCode op, ReadOnlyMemory<byte> data)
    {
        try
        {
            return Write((op, data), static (w, a) =>
            {
                w.WriteNumber("op", (int)a.op);
                w.WritePropertyName("d");
                w.WriteRawValue(a.data.Span, skipInputValidation: false);
            });
        }
        catch (JsonException ex)
        {
            throw new ArgumentException("The payload data is not one valid JSON value.", nameof(data), ex);
        }
    }

    private static byte[] Write<TState>(TState state, Action<Utf8JsonWriter, TState> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer, state);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
