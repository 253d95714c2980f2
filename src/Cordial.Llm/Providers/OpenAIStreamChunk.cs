using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Cordial.Llm.Providers;

/// <summary>
/// What one <c>chat.completion.chunk</c> of an OpenAI-compatible stream says, read straight from the event's UTF-8
/// bytes: the first choice's text, reasoning (<c>reasoning_content</c> or <c>reasoning</c>), tool-call pieces and
/// finish reason, and the ids, model and usage. Everything else is skipped. A whole (non-streamed)
/// <c>chat.completion</c> reads the same way: its <c>message</c> has the fields of a chunk's <c>delta</c>.
/// </summary>
/// <remarks>
/// The SDK's own streaming models cost ≈ 2 KB of objects per token (about half of everything the bot allocated under
/// load; docs/PERFORMANCE.md); this reads the same fields with one <see cref="Utf8JsonReader"/> pass and allocates only
/// the strings it keeps. A payload that is not a JSON object, or whose <c>choices</c> is not an array, throws
/// <see cref="JsonException"/>: the response is not what the protocol promises.
/// </remarks>
internal sealed class OpenAIStreamChunk
{
    private static readonly (byte[] Utf8, string Name)[] KnownNames =
    [
        .. new[]
        {
            "id", "model", "created", "choices", "usage", "delta", "message", "finish_reason", "content", "reasoning_content",
            "reasoning", "tool_calls", "index", "function", "name", "arguments", "prompt_tokens", "completion_tokens",
            "total_tokens", "prompt_tokens_details", "completion_tokens_details", "cached_tokens", "reasoning_tokens",
        }.Select(name => (System.Text.Encoding.UTF8.GetBytes(name), name)),
    ];

    public string? Id { get; private set; }

    public string? Model { get; private set; }

    public DateTimeOffset? CreatedAt { get; private set; }

    public string? Content { get; private set; }

    public string? Reasoning { get; private set; }

    public string? FinishReason { get; private set; }

    /// <summary>Whether <c>choices</c> held an answer (a stream's last, usage-only chunk has none).</summary>
    public bool HasChoice { get; private set; }

    public UsageDetails? Usage { get; private set; }

    /// <summary>Pieces of tool calls, in the order they came (null when there were none).</summary>
    public List<ToolCallPiece>? ToolCalls { get; private set; }

    /// <summary>Reads one event's data (the <c>[DONE]</c> marker is the caller's business).</summary>
    /// <param name="data">The event's UTF-8 data.</param>
    /// <param name="skipIdentity">
    /// Skip <c>id</c> and <c>model</c> (left null): every chunk of a stream repeats them, and a reader that already has
    /// them from the first chunk would only allocate two strings per token to throw away.
    /// </param>
    /// <exception cref="JsonException">The data is not a chunk.</exception>
    public static OpenAIStreamChunk Parse(ReadOnlySpan<byte> data, bool skipIdentity = false)
    {
        var reader = new Utf8JsonReader(data);
        var chunk = new OpenAIStreamChunk();
        Expect(ref reader, JsonTokenType.StartObject, "a chunk");
        while (NextProperty(ref reader) is { } name)
        {
            switch (name)
            {
                case "id" when !skipIdentity:
                    chunk.Id = ReadStringOrNull(ref reader);
                    break;
                case "model" when !skipIdentity:
                    chunk.Model = ReadStringOrNull(ref reader);
                    break;
                case "created":
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var seconds) && seconds > 0)
                    {
                        chunk.CreatedAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
                    }
                    else
                    {
                        reader.Skip();
                    }

                    break;
                case "choices":
                    chunk.ReadChoices(ref reader);
                    break;
                case "usage":
                    chunk.Usage = ReadUsage(ref reader);
                    break;
                default:
                    SkipValue(ref reader);
                    break;
            }
        }

        return chunk;
    }

    private void ReadChoices(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        Expect(ref reader, JsonTokenType.StartArray, "choices");
        var first = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (!first || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip(); // one answer is asked for; later choices are not shown
                continue;
            }

            first = false;
            HasChoice = true;
            while (NextProperty(ref reader) is { } name)
            {
                switch (name)
                {
                    case "delta":
                    case "message": // a whole (non-streamed) completion: the same fields, all at once
                        ReadDelta(ref reader);
                        break;
                    case "finish_reason":
                        FinishReason = ReadStringOrNull(ref reader);
                        break;
                    default:
                        SkipValue(ref reader);
                        break;
                }
            }
        }
    }

    private void ReadDelta(ref Utf8JsonReader reader)
    {
        if (!EnterValue(ref reader, JsonTokenType.StartObject))
        {
            return;
        }

        while (NextProperty(ref reader) is { } name)
        {
            switch (name)
            {
                case "content":
                    Content = ReadStringOrNull(ref reader);
                    break;
                case "reasoning_content":
                case "reasoning":
                    // Present but not a string (null, an object): not reasoning text. The first one with text wins.
                    if (ReadStringOrNull(ref reader) is { Length: > 0 } reasoning)
                    {
                        Reasoning ??= reasoning;
                    }

                    break;
                case "tool_calls":
                    ReadToolCalls(ref reader);
                    break;
                default:
                    SkipValue(ref reader);
                    break;
            }
        }
    }

    private void ReadToolCalls(ref Utf8JsonReader reader)
    {
        if (!EnterValue(ref reader, JsonTokenType.StartArray))
        {
            return;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            var piece = new ToolCallPiece();
            while (NextProperty(ref reader) is { } name)
            {
                switch (name)
                {
                    case "index":
                        piece.Index = ReadCount(ref reader) is { } index and >= 0 and <= int.MaxValue ? (int)index : 0;
                        break;
                    case "id":
                        piece.Id = ReadStringOrNull(ref reader);
                        break;
                    case "function":
                        if (!EnterValue(ref reader, JsonTokenType.StartObject))
                        {
                            break;
                        }

                        while (NextProperty(ref reader) is { } field)
                        {
                            switch (field)
                            {
                                case "name":
                                    piece.Name = ReadStringOrNull(ref reader);
                                    break;
                                case "arguments":
                                    piece.Arguments = ReadStringOrNull(ref reader);
                                    break;
                                default:
                                    SkipValue(ref reader);
                                    break;
                            }
                        }

                        break;
                    default:
                        SkipValue(ref reader);
                        break;
                }
            }

            (ToolCalls ??= []).Add(piece);
        }
    }

    private static UsageDetails? ReadUsage(ref Utf8JsonReader reader)
    {
        if (!EnterValue(ref reader, JsonTokenType.StartObject))
        {
            return null;
        }

        var usage = new UsageDetails();
        while (NextProperty(ref reader) is { } name)
        {
            switch (name)
            {
                case "prompt_tokens":
                    usage.InputTokenCount = ReadCount(ref reader);
                    break;
                case "completion_tokens":
                    usage.OutputTokenCount = ReadCount(ref reader);
                    break;
                case "total_tokens":
                    usage.TotalTokenCount = ReadCount(ref reader);
                    break;
                case "prompt_tokens_details":
                    usage.CachedInputTokenCount = ReadDetail(ref reader, "cached_tokens");
                    break;
                case "completion_tokens_details":
                    usage.ReasoningTokenCount = ReadDetail(ref reader, "reasoning_tokens");
                    break;
                default:
                    SkipValue(ref reader);
                    break;
            }
        }

        return usage;
    }

    private static long? ReadDetail(ref Utf8JsonReader reader, string wanted)
    {
        if (!EnterValue(ref reader, JsonTokenType.StartObject))
        {
            return null;
        }

        long? value = null;
        while (NextProperty(ref reader) is { } name)
        {
            if (name == wanted)
            {
                value = ReadCount(ref reader);
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return value;
    }

    private static long? ReadCount(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var count))
        {
            return count;
        }

        reader.Skip();
        return null;
    }

    /// <summary>The next property's name (the reader then stands on it), or null at the end of the object.</summary>
    private static string? NextProperty(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndObject)
        {
            return null;
        }

        return reader.TokenType == JsonTokenType.PropertyName
            ? PropertyName(ref reader)
            : throw new JsonException($"Expected a property name, found {reader.TokenType.ToString()}.");
    }

    /// <summary>The names this reader looks for, matched on their UTF-8 bytes without allocating; other names come back as "".</summary>
    private static string PropertyName(ref Utf8JsonReader reader)
    {
        foreach (var (utf8, name) in KnownNames)
        {
            if (reader.ValueTextEquals(utf8))
            {
                return name;
            }
        }

        return "";
    }

    /// <summary>Steps over the next value, whatever it is.</summary>
    private static void SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }

    /// <summary>Reads the next value: true when it opens a container of <paramref name="start"/>'s kind; anything else is skipped.</summary>
    private static bool EnterValue(ref Utf8JsonReader reader, JsonTokenType start)
    {
        reader.Read();
        if (reader.TokenType == start)
        {
            return true;
        }

        reader.Skip();
        return false;
    }

    private static string? ReadStringOrNull(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        if (reader.TokenType == JsonTokenType.None)
        {
            reader.Read();
        }

        if (reader.TokenType != type)
        {
            throw new JsonException(string.Create(CultureInfo.InvariantCulture, $"Expected {what} to be {type}, found {reader.TokenType}."));
        }
    }

    /// <summary>A piece of one tool call: its index, and whichever of id, name and argument text this chunk carries.</summary>
    internal sealed class ToolCallPiece
    {
        public int Index { get; set; }

        public string? Id { get; set; }

        public string? Name { get; set; }

        public string? Arguments { get; set; }
    }
}
