using System.IO.Compression;
using System.Text;
using Cordial.Llm.Fallback;
using Microsoft.Extensions.AI;

namespace Cordial.Llm.Caching;

/// <summary>
/// One stored answer: its text (UTF-8, Brotli-compressed above the threshold), model, finish reason and usage.
/// Immutable; shared by every hit.
/// </summary>
public sealed class CachedResponse
{
    /// <summary>
    /// Fixed bytes counted per entry on top of the payload: this object (104 bytes), the cache's node (78), its share
    /// of the cache's hash table (about 72) and the payload array's header (24), as measured in a heap dump of the bot.
    /// </summary>
    internal const int EntryOverhead = 280;

    private readonly byte[] _payload;

    private CachedResponse(byte[] payload, bool compressed, string? modelId, string? fallbackFrom, ChatFinishReason finishReason, long? inputTokens, long? outputTokens, long? totalTokens)
    {
        FallbackFrom = fallbackFrom;
        _payload = payload;
        IsCompressed = compressed;
        ModelId = modelId;
        FinishReason = finishReason;
        InputTokenCount = inputTokens;
        OutputTokenCount = outputTokens;
        TotalTokenCount = totalTokens;
        Size = payload.Length + (2 * ((modelId?.Length ?? 0) + (fallbackFrom?.Length ?? 0))) + EntryOverhead;
    }

    /// <summary>The answering model as reported by the pipeline below the cache.</summary>
    public string? ModelId { get; }

    /// <summary>The requested model when a fallback model answered (<see cref="FallbackChatClient.FallbackFromProperty"/>), else null.</summary>
    public string? FallbackFrom { get; }

    /// <summary>Why the answer ended (<see cref="ChatFinishReason.Stop"/> or <see cref="ChatFinishReason.Length"/>).</summary>
    public ChatFinishReason FinishReason { get; }

    public long? InputTokenCount { get; }

    public long? OutputTokenCount { get; }

    public long? TotalTokenCount { get; }

    /// <summary>Whether the text is stored compressed.</summary>
    public bool IsCompressed { get; }

    /// <summary>The bytes this entry counts against <see cref="CacheOptions.MaxBytes"/>.</summary>
    public int Size { get; }

    /// <summary>The stored payload length in bytes (compressed when <see cref="IsCompressed"/>).</summary>
    public int PayloadLength => _payload.Length;

    /// <summary>
    /// Builds an entry from a complete answer, or returns null when the answer must not be stored: finish reason
    /// other than stop/length, an answer that used tools, any content other than text, reasoning and usage (tool calls, errors, images …),
    /// no text at all, or a message not from the assistant.
    /// </summary>
    public static CachedResponse? TryCreate(ChatResponse response, int compressionThreshold)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.FinishReason != ChatFinishReason.Stop && response.FinishReason != ChatFinishReason.Length)
        {
            return null;
        }

        if (response.AdditionalProperties?.ContainsKey(Tools.ToolInvokingChatClient.ToolsUsedProperty) == true)
        {
            return null; // the answer depends on what the tools returned this time
        }

        var text = new StringBuilder();
        UsageDetails? usage = response.Usage;
        foreach (var message in response.Messages)
        {
            if (message.Role != ChatRole.Assistant)
            {
                return null;
            }

            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent t:
                        text.Append(t.Text);
                        break;
                    case TextReasoningContent:
                        break;
                    case UsageContent u:
                        usage ??= u.Details;
                        break;
                    default:
                        return null;
                }
            }
        }

        if (text.Length == 0)
        {
            return null; // an empty answer is more likely a provider glitch than an answer worth repeating
        }

        var utf8 = Encoding.UTF8.GetBytes(text.ToString());
        var payload = utf8;
        var compressed = false;
        if (utf8.Length > compressionThreshold)
        {
            var packed = Compress(utf8);
            if (packed.Length < utf8.Length)
            {
                payload = packed;
                compressed = true;
            }
        }

        var fallbackFrom = response.AdditionalProperties?.GetValueOrDefault(FallbackChatClient.FallbackFromProperty) as string;
        return new CachedResponse(payload, compressed, response.ModelId, fallbackFrom, response.FinishReason.Value, usage?.InputTokenCount, usage?.OutputTokenCount, usage?.TotalTokenCount);
    }

    /// <summary>The stored text (decompressed when needed).</summary>
    public string GetText()
    {
        if (!IsCompressed)
        {
            return Encoding.UTF8.GetString(_payload);
        }

        using var input = new MemoryStream(_payload, writable: false);
        using var brotli = new BrotliStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream(_payload.Length * 4);
        brotli.CopyTo(output);
        return Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length);
    }

    /// <summary>The stored usage, or null when the answer reported none.</summary>
    public UsageDetails? GetUsage() =>
        InputTokenCount is null && OutputTokenCount is null && TotalTokenCount is null
            ? null
            : new UsageDetails { InputTokenCount = InputTokenCount, OutputTokenCount = OutputTokenCount, TotalTokenCount = TotalTokenCount };

    private static byte[] Compress(byte[] data)
    {
        using var output = new MemoryStream(data.Length / 2);
        using (var brotli = new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            brotli.Write(data);
        }

        return output.ToArray();
    }
}
