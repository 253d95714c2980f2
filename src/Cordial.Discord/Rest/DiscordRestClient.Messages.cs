using System.Net.Http.Json;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cordial.Discord.Models;

namespace Cordial.Discord.Rest;

public sealed partial class DiscordRestClient
{
    /// <summary>GET /channels/{channel}/messages/{message}.</summary>
    public Task<JsonMessage> GetMessageAsync(ulong channelId, ulong messageId, CancellationToken cancellationToken = default) =>
        SendAsync(Route.Create(HttpMethod.Get, $"channels/{channelId}/messages/{messageId}"), null, DiscordJsonContext.Default.JsonMessage, cancellationToken);

    /// <summary>POST /channels/{id}/messages (multipart when <see cref="MessageCreate.Files"/> is not empty).</summary>
    public Task<JsonMessage> CreateMessageAsync(ulong channelId, MessageCreate message, CancellationToken cancellationToken = default)
    {
        Validated(message); // at once, before any rate-limit wait
        return CreateMessageAsync(channelId, () => message, cancellationToken);
    }

    /// <summary>
    /// POST /channels/{id}/messages with a message decided when the request is sent: <paramref name="latest"/> is asked
    /// after the rate-limit wait (once per attempt), so a caller whose content changes while it waits sends the newest.
    /// </summary>
    /// <exception cref="ArgumentException">The message <paramref name="latest"/> returned is not valid (thrown by this call).</exception>
    public Task<JsonMessage> CreateMessageAsync(ulong channelId, Func<MessageCreate> latest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(latest);
        return SendAsync(Route.Create(HttpMethod.Post, $"channels/{channelId}/messages"), () => MessageBody(Validated(latest()))(), DiscordJsonContext.Default.JsonMessage, cancellationToken);
    }

    /// <summary>PATCH /channels/{channel}/messages/{message}.</summary>
    public Task<JsonMessage> EditMessageAsync(ulong channelId, ulong messageId, MessageEdit edit, CancellationToken cancellationToken = default)
    {
        Validated(edit); // at once, before any rate-limit wait
        return EditMessageAsync(channelId, messageId, () => edit, cancellationToken);
    }

    /// <summary>PATCH /channels/{channel}/messages/{message} with an edit decided when the request is sent (as for creates).</summary>
    /// <exception cref="ArgumentException">The edit <paramref name="latest"/> returned is not valid (thrown by this call).</exception>
    public Task<JsonMessage> EditMessageAsync(ulong channelId, ulong messageId, Func<MessageEdit> latest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(latest);
        return SendAsync(
            Route.Create(HttpMethod.Patch, $"channels/{channelId}/messages/{messageId}"),
            () => JsonContent.Create(Validated(latest()), RestJsonContext.Default.MessageEdit),
            DiscordJsonContext.Default.JsonMessage,
            cancellationToken);
    }

    private static MessageCreate Validated(MessageCreate message)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.Validate();
        return message;
    }

    private static MessageEdit Validated(MessageEdit edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        edit.Validate();
        return edit;
    }

    /// <summary>DELETE /channels/{channel}/messages/{message}.</summary>
    public Task DeleteMessageAsync(ulong channelId, ulong messageId, CancellationToken cancellationToken = default) =>
        SendAsync(Route.Create(HttpMethod.Delete, $"channels/{channelId}/messages/{messageId}"), null, cancellationToken);

    /// <summary>JSON, or multipart (payload_json + files[n]) when the message carries files.</summary>
    private static Func<HttpContent?> MessageBody(MessageCreate message)
    {
        if (message.Files is not { Count: > 0 })
        {
            return Json(message, RestJsonContext.Default.MessageCreate);
        }

        return () =>
        {
            var form = new MultipartFormDataContent();
            var payload = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(message, RestJsonContext.Default.MessageCreate));
            payload.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            form.Add(payload, "payload_json");
            for (var i = 0; i < message.Files.Count; i++)
            {
                var file = message.Files[i];
                var part = new ReadOnlyMemoryContent(file.Data);
                part.Headers.ContentType = MediaTypeHeaderValue.Parse(file.ContentType);
                form.Add(part, "files[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]", file.Filename);
            }

            return form;
        };
    }
}
