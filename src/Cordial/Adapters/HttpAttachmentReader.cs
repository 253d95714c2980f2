using System.Buffers;
using System.Text;
using Cordial.Bot.Conversations;
using Cordial.Bot.Messages;
using Microsoft.Extensions.Logging;

namespace Cordial.Adapters;

/// <summary>
/// Reads text attachments over HTTP: at most the byte cap, only text-like content types, never throws for a bad or
/// unreachable attachment (null instead).
/// </summary>
internal sealed partial class HttpAttachmentReader(HttpClient http, ILogger<HttpAttachmentReader> logger) : IAttachmentReader
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public async Task<string?> ReadTextAsync(IncomingAttachment attachment, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        if (maxBytes <= 0 || !Uri.TryCreate(attachment.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return null;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                Log.Failed(logger, attachment.Filename, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
                return null;
            }

            var type = response.Content.Headers.ContentType?.MediaType;
            if (type is not null && !IsTextLike(type))
            {
                Log.Failed(logger, attachment.Filename, "content type " + type);
                return null;
            }

            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes, 1 << 20) + 1);
            try
            {
                using var collected = new MemoryStream();
                while (collected.Length < maxBytes)
                {
                    var want = (int)Math.Min(buffer.Length, maxBytes - collected.Length);
                    var read = await stream.ReadAsync(buffer.AsMemory(0, want), timeout.Token);
                    if (read == 0)
                    {
                        break;
                    }

                    collected.Write(buffer, 0, read);
                }

                return DecodeUtf8Prefix(collected.GetBuffer().AsSpan(0, (int)collected.Length));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Log.Failed(logger, attachment.Filename, ex.GetType().Name);
            return null;
        }
    }

    private static bool IsTextLike(string type) =>
        type.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
        || type is "application/json" or "application/xml" or "application/octet-stream" or "application/x-yaml" or "application/yaml"
        || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+xml", StringComparison.OrdinalIgnoreCase);

    /// <summary>UTF-8 text of the bytes, without a character cut in half at the end.</summary>
    internal static string DecodeUtf8Prefix(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.Length;
        var back = 0;
        while (end > 0 && back < 3 && (bytes[end - 1] & 0xC0) == 0x80)
        {
            end--;
            back++;
        }

        if (end > 0 && bytes[end - 1] >= 0xC0)
        {
            var lead = bytes[end - 1];
            var length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
            if (length == back + 1)
            {
                end = bytes.Length; // the last character is complete
            }
            else
            {
                end--;
            }
        }
        else
        {
            end = bytes.Length;
        }

        return Encoding.UTF8.GetString(bytes[..end]);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Attachment {Filename} not read: {Reason}")]
        public static partial void Failed(ILogger logger, string filename, string reason);
    }
}
