using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Cordial.Llm.Caching;

/// <summary>
/// The identity of a request: a SHA-256 over the model, every generation parameter (temperature, max tokens,
/// reasoning, tools, response format, stop sequences, additional properties …), the instructions (system prompt) and
/// the whole message list (roles, author names, text, reasoning, image/data URIs and bytes, tool calls and results).
/// Two requests with the same key are the same request; any difference, in any message, gives another key.
/// </summary>
/// <remarks>Every field is written with a tag and a length prefix, so no two different requests serialize alike.</remarks>
public readonly struct ResponseCacheKey : IEquatable<ResponseCacheKey>
{
    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;

    private ResponseCacheKey(ReadOnlySpan<byte> hash)
    {
        _a = BinaryPrimitives.ReadUInt64LittleEndian(hash);
        _b = BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]);
        _c = BinaryPrimitives.ReadUInt64LittleEndian(hash[16..]);
        _d = BinaryPrimitives.ReadUInt64LittleEndian(hash[24..]);
    }

    /// <summary>
    /// Computes the key of a request. Returns false (no key) when a part of the request cannot be written
    /// unambiguously (e.g. an additional property or content that does not serialize): such a request must not be
    /// cached or coalesced.
    /// </summary>
    public static bool TryCompute(IList<ChatMessage> messages, ChatOptions? options, out ResponseCacheKey key)
    {
        ArgumentNullException.ThrowIfNull(messages);
        using var writer = new KeyWriter();
        try
        {
            writer.WriteOptions(options);
            writer.WriteInt('N', messages.Count);
            for (var i = 0; i < messages.Count; i++)
            {
                writer.WriteMessage(messages[i]);
            }
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException or ArgumentException)
        {
            key = default;
            return false;
        }

        Span<byte> hash = stackalloc byte[32];
        writer.GetHash(hash);
        key = new ResponseCacheKey(hash);
        return true;
    }

    public bool Equals(ResponseCacheKey other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    public override bool Equals(object? obj) => obj is ResponseCacheKey other && Equals(other);

    public override int GetHashCode() => unchecked((int)_a ^ (int)(_a >> 32));

    /// <summary>The hash as lowercase hex (64 characters).</summary>
    public override string ToString()
    {
        Span<ulong> parts = [_a, _b, _c, _d];
        return Convert.ToHexStringLower(MemoryMarshal.AsBytes(parts));
    }

    public static bool operator ==(ResponseCacheKey left, ResponseCacheKey right) => left.Equals(right);

    public static bool operator !=(ResponseCacheKey left, ResponseCacheKey right) => !left.Equals(right);

    /// <summary>Writes tagged, length-prefixed fields into a pooled buffer, hashed once at the end.</summary>
    private sealed class KeyWriter : IDisposable
    {
        // One SHA-256 context per thread, reset after each key: the one-shot call makes and frees a native context
        // each time, which under load (cold caches) cost up to ~20 µs before the model request (twelfth session).
        [ThreadStatic]
        private static IncrementalHash? t_sha256;

        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096);
        private int _length;

        public void GetHash(Span<byte> destination)
        {
            var sha256 = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            try
            {
                sha256.AppendData(_buffer.AsSpan(0, _length));
                sha256.GetHashAndReset(destination);
            }
            catch
            {
                t_sha256 = null; // never reuse a context left with part of a key in it
                sha256.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        public void WriteOptions(ChatOptions? o)
        {
            WriteTag('O');
            if (o is null)
            {
                WriteTag('-');
                return;
            }

            WriteString('m', o.ModelId);
            WriteString('i', o.Instructions);
            WriteDouble('t', o.Temperature);
            WriteNullableInt('x', o.MaxOutputTokens);
            WriteDouble('p', o.TopP);
            WriteNullableInt('k', o.TopK);
            WriteDouble('f', o.FrequencyPenalty);
            WriteDouble('r', o.PresencePenalty);
            WriteNullableLong('s', o.Seed);
            WriteString('c', o.ConversationId);
            WriteString('e', o.Reasoning?.Effort?.ToString());
            WriteString('E', o.Reasoning?.Output?.ToString());
            WriteResponseFormat(o.ResponseFormat);
            WriteString('M', o.ToolMode switch
            {
                null => null,
                RequiredChatToolMode required => "required:" + required.RequiredFunctionName,
                var mode => mode.GetType().Name,
            });
            WriteString('a', o.AllowMultipleToolCalls?.ToString(CultureInfo.InvariantCulture));
            WriteList('S', o.StopSequences);
            WriteInt('T', o.Tools?.Count ?? -1);
            if (o.Tools is { } tools)
            {
                foreach (var tool in tools)
                {
                    WriteString('n', tool.Name);
                    WriteString('d', tool.Description);
                    WriteString('y', tool.GetType().FullName);
                    if (tool is AIFunctionDeclaration function)
                    {
                        WriteString('j', function.JsonSchema.GetRawText());
                    }
                }
            }

            WriteProperties('P', o.AdditionalProperties);
        }

        public void WriteMessage(ChatMessage message)
        {
            WriteString('R', message.Role.Value);
            WriteString('A', message.AuthorName);
            WriteInt('C', message.Contents.Count);
            foreach (var content in message.Contents)
            {
                WriteContent(content);
            }
        }

        public void WriteInt(char tag, int value)
        {
            var span = Reserve(5);
            span[0] = (byte)tag;
            BinaryPrimitives.WriteInt32LittleEndian(span[1..], value);
            _length += 5;
        }

        private void WriteContent(AIContent content)
        {
            switch (content)
            {
                case TextContent text:
                    WriteString('1', text.Text);
                    break;
                case TextReasoningContent reasoning:
                    WriteString('2', reasoning.Text);
                    break;
                case UriContent uri:
                    WriteString('3', uri.Uri.OriginalString);
                    WriteString('z', uri.MediaType);
                    break;
                case DataContent data:
                    WriteString('4', data.MediaType);
                    WriteString('z', data.Name);
                    Span<byte> digest = stackalloc byte[32];
                    SHA256.HashData(data.Data.Span, digest);
                    WriteTag('L');
                    Append(digest);
                    break;
                case FunctionCallContent call:
                    WriteString('5', call.CallId);
                    WriteString('z', call.Name);
                    WriteString('z', call.Arguments is null ? null : JsonSerializer.Serialize(call.Arguments, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>))));
                    break;
                case FunctionResultContent result:
                    WriteString('6', result.CallId);
                    WriteString('z', result.Result is null ? null : JsonSerializer.Serialize(result.Result, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(object))));
                    break;
                default:
                    WriteString('7', content.GetType().FullName);
                    WriteString('z', JsonSerializer.Serialize(content, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(AIContent))));
                    break;
            }
        }

        private void WriteResponseFormat(ChatResponseFormat? format)
        {
            switch (format)
            {
                case null:
                    WriteString('F', null);
                    break;
                case ChatResponseFormatJson json:
                    WriteString('F', "json");
                    WriteString('z', json.Schema?.GetRawText());
                    WriteString('z', json.SchemaName);
                    WriteString('z', json.SchemaDescription);
                    break;
                default:
                    WriteString('F', format.GetType().Name);
                    break;
            }
        }

        private static bool IsPerRequest(string key) =>
            key == Pipeline.ProviderCallProperties.RequestStarted || key == Quotas.QuotaChatClient.UserIdProperty;

        private void WriteProperties(char tag, AdditionalPropertiesDictionary? properties)
        {
            // Per-request hooks and identities are not part of what is asked: the provider-call callback (a measurement
            // hook) and the user id (for quotas: identical requests of different users share answers and in-flight calls)
            // are left out. No properties, an empty dictionary and only those keys all mean the same request.
            var count = 0;
            if (properties is not null)
            {
                foreach (var key in properties.Keys)
                {
                    count += IsPerRequest(key) ? 0 : 1;
                }
            }

            WriteInt(tag, count == 0 ? -1 : count);
            if (properties is null || count == 0)
            {
                return;
            }

            var keys = new string[properties.Count];
            properties.Keys.CopyTo(keys, 0);
            Array.Sort(keys, StringComparer.Ordinal);
            foreach (var key in keys)
            {
                if (IsPerRequest(key))
                {
                    continue;
                }

                WriteString('K', key);
                var value = properties[key];
                switch (value)
                {
                    case null:
                        WriteString('V', null);
                        break;
                    case string s:
                        WriteString('V', s);
                        break;
                    case JsonElement element:
                        WriteString('J', element.GetRawText());
                        break;
                    case IFormattable formattable when value.GetType().IsPrimitive || value is decimal:
                        WriteString('Y', value.GetType().Name);
                        WriteString('V', formattable.ToString(null, CultureInfo.InvariantCulture));
                        break;
                    default:
                        WriteString('Y', value.GetType().FullName);
                        WriteString('J', JsonSerializer.Serialize(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType())));
                        break;
                }
            }
        }

        private void WriteList(char tag, IList<string>? values)
        {
            WriteInt(tag, values?.Count ?? -1);
            if (values is null)
            {
                return;
            }

            foreach (var value in values)
            {
                WriteString('z', value);
            }
        }

        private void WriteDouble(char tag, float? value) => WriteNullableLong(tag, value is { } v ? BitConverter.SingleToInt32Bits(v) : null);

        private void WriteNullableInt(char tag, int? value) => WriteNullableLong(tag, value);

        private void WriteNullableLong(char tag, long? value)
        {
            var span = Reserve(10);
            span[0] = (byte)tag;
            span[1] = value.HasValue ? (byte)1 : (byte)0;
            BinaryPrimitives.WriteInt64LittleEndian(span[2..], value.GetValueOrDefault());
            _length += 10;
        }

        private void WriteString(char tag, string? value)
        {
            if (value is null)
            {
                var none = Reserve(5);
                none[0] = (byte)tag;
                BinaryPrimitives.WriteInt32LittleEndian(none[1..], -1);
                _length += 5;
                return;
            }

            var span = Reserve(5 + Encoding.UTF8.GetMaxByteCount(value.Length));
            span[0] = (byte)tag;
            var count = Encoding.UTF8.GetBytes(value, span[5..]);
            BinaryPrimitives.WriteInt32LittleEndian(span[1..], count);
            _length += 5 + count;
        }

        private void WriteTag(char tag)
        {
            Reserve(1)[0] = (byte)tag;
            _length++;
        }

        private void Append(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(Reserve(bytes.Length));
            _length += bytes.Length;
        }

        private Span<byte> Reserve(int count)
        {
            if (_length + count > _buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + count));
                _buffer.AsSpan(0, _length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }

            return _buffer.AsSpan(_length, count);
        }
    }
}
