using System.Text.Json;

namespace Cordial.Discord.Gateway;

/// <summary>
/// Reads the envelope of a gateway payload in one forward pass (<see cref="Utf8JsonReader"/>, no DOM, no allocation for
/// known event names). Property order does not matter. Never throws on bad input.
/// </summary>
internal static class GatewayPayloadReader
{
    /// <summary>Most payloads nest a few levels; Discord's deepest are well under this.</summary>
    private const int MaxDepth = 64;

    public static bool TryRead(ReadOnlySpan<byte> json, out GatewayPayload payload, out string? error) =>
        TryRead(json, shardId: -1, out payload, out _, out _, out error);

    /// <summary>
    /// Reads the envelope and, when <paramref name="shardId"/> is not negative and the event name comes before
    /// <c>d</c> (Discord's order), deserializes a handled dispatch in the same pass.
    /// </summary>
    /// <param name="evt">The typed event when it could be read in this pass; null otherwise.</param>
    /// <param name="dataError">Set when <c>d</c> of a handled dispatch did not match its shape (the envelope is still read).</param>
    public static bool TryRead(ReadOnlySpan<byte> json, int shardId, out GatewayPayload payload, out GatewayEvent? evt, out string? dataError, out string? error)
    {
        payload = default;
        error = null;
        evt = null;
        dataError = null;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "the payload is not a JSON object";
                return false;
            }

            int? op = null;
            int? sequence = null;
            var dispatch = GatewayDispatchType.None;
            int dataStart = 0, dataLength = 0, nameStart = 0, nameLength = 0;
            var complete = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("op"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var o))
                    {
                        error = "'op' is not an integer";
                        return false;
                    }

                    op = o;
                }
                else if (reader.ValueTextEquals("s"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var s))
                    {
                        sequence = s;
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        error = "'s' is not an integer or null";
                        return false;
                    }
                }
                else if (reader.ValueTextEquals("t"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        dispatch = Classify(ref reader);
                        nameStart = (int)reader.TokenStartIndex + 1;
                        nameLength = reader.HasValueSequence ? 0 : reader.ValueSpan.Length;
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        error = "'t' is not a string or null";
                        return false;
                    }
                }
                else if (reader.ValueTextEquals("d"u8))
                {
                    reader.Read();
                    dataStart = (int)reader.TokenStartIndex;
                    if (shardId >= 0 && dispatch > GatewayDispatchType.Unknown && TryParseLastData(json, dataStart, dispatch, shardId, out evt, out var dataEnd))
                    {
                        // Discord writes "d" last: it was read in one pass up to the closing brace, and the envelope is complete.
                        dataLength = dataEnd - dataStart;
                        complete = true;
                        break;
                    }

                    if (shardId >= 0 && dispatch > GatewayDispatchType.Unknown)
                    {
                        var checkpoint = reader;
                        try
                        {
                            evt = GatewayEventParser.Parse(dispatch, shardId, ref reader);
                        }
                        catch (JsonException ex)
                        {
                            evt = null;
                            dataError = ex.Message;
                            reader = checkpoint;
                            reader.Skip();
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }

                    dataLength = (int)reader.BytesConsumed - dataStart;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (!complete && (reader.TokenType != JsonTokenType.EndObject || reader.CurrentDepth != 0 || reader.Read()))
            {
                error = "the payload object is not well formed";
                return false;
            }

            if (op is null)
            {
                error = "the payload has no 'op'";
                return false;
            }

            if (op == (int)GatewayOpCode.Dispatch && dispatch == GatewayDispatchType.None)
            {
                error = "a dispatch has no event name";
                return false;
            }

            payload = new GatewayPayload(op.Value, sequence, dispatch, dataStart, dataLength, nameStart, nameLength);
            return true;
        }
        catch (JsonException ex)
        {
            // The exception message carries a position, never the payload's text.
            error = "invalid JSON: " + ex.Message;
            return false;
        }
        catch (InvalidOperationException ex)
        {
            error = "invalid JSON: " + ex.Message;
            return false;
        }
    }

    /// <summary>
    /// When <c>d</c> is the payload's last property, deserializes it straight from its start to the closing brace (one
    /// pass over the data instead of a skip and a parse). False (nothing consumed) when anything follows it or the data
    /// is bad; the caller then takes the general path, which reports the problem.
    /// </summary>
    private static bool TryParseLastData(ReadOnlySpan<byte> json, int dataStart, GatewayDispatchType dispatch, int shardId, out GatewayEvent? evt, out int dataEnd)
    {
        evt = null;
        dataEnd = json.Length - 1;
        while (dataEnd > dataStart && json[dataEnd] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            dataEnd--;
        }

        if (dataEnd <= dataStart || json[dataEnd] != (byte)'}' || json[dataStart] != (byte)'{')
        {
            return false;
        }

        try
        {
            evt = GatewayEventParser.Parse(dispatch, shardId, json[dataStart..dataEnd]);
            return evt is not null;
        }
        catch (JsonException)
        {
            evt = null;
            return false;
        }
    }

    private static GatewayDispatchType Classify(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("MESSAGE_CREATE"u8))
        {
            return GatewayDispatchType.MessageCreate;
        }

        if (reader.ValueTextEquals("MESSAGE_UPDATE"u8))
        {
            return GatewayDispatchType.MessageUpdate;
        }

        if (reader.ValueTextEquals("MESSAGE_DELETE"u8))
        {
            return GatewayDispatchType.MessageDelete;
        }

        if (reader.ValueTextEquals("INTERACTION_CREATE"u8))
        {
            return GatewayDispatchType.InteractionCreate;
        }

        if (reader.ValueTextEquals("GUILD_CREATE"u8))
        {
            return GatewayDispatchType.GuildCreate;
        }

        if (reader.ValueTextEquals("CHANNEL_CREATE"u8))
        {
            return GatewayDispatchType.ChannelCreate;
        }

        if (reader.ValueTextEquals("CHANNEL_UPDATE"u8))
        {
            return GatewayDispatchType.ChannelUpdate;
        }

        if (reader.ValueTextEquals("CHANNEL_DELETE"u8))
        {
            return GatewayDispatchType.ChannelDelete;
        }

        if (reader.ValueTextEquals("THREAD_CREATE"u8))
        {
            return GatewayDispatchType.ThreadCreate;
        }

        if (reader.ValueTextEquals("THREAD_UPDATE"u8))
        {
            return GatewayDispatchType.ThreadUpdate;
        }

        if (reader.ValueTextEquals("READY"u8))
        {
            return GatewayDispatchType.Ready;
        }

        if (reader.ValueTextEquals("RESUMED"u8))
        {
            return GatewayDispatchType.Resumed;
        }

        if (reader.ValueTextEquals("VOICE_STATE_UPDATE"u8))
        {
            return GatewayDispatchType.VoiceStateUpdate;
        }

        if (reader.ValueTextEquals("VOICE_SERVER_UPDATE"u8))
        {
            return GatewayDispatchType.VoiceServerUpdate;
        }

        return GatewayDispatchType.Unknown;
    }
}
