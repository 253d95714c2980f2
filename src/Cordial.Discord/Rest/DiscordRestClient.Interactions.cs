using Cordial.Discord.Models;

namespace Cordial.Discord.Rest;

public sealed partial class DiscordRestClient
{
    /// <summary>POST /interactions/{id}/{token}/callback (within 3 s of the interaction; exempt from the global limit).</summary>
    public Task CreateInteractionResponseAsync(ulong interactionId, string interactionToken, InteractionCallback callback, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(interactionToken);
        ArgumentNullException.ThrowIfNull(callback);
        callback.Data?.Validate(requireBody: false);
        if (callback.Data is { Files.Count: > 0 })
        {
            throw new ArgumentException("Files in an interaction callback are not supported; send them in a follow-up.", nameof(callback));
        }

        var route = Route.Create(HttpMethod.Post, $"interactions/{interactionId}/{interactionToken}/callback");
        return SendAsync(route, Json(callback, RestJsonContext.Default.InteractionCallback), cancellationToken);
    }

    /// <summary>PATCH /webhooks/{application}/{token}/messages/@original: edits (or, after a deferral, sends) the answer.</summary>
    public Task<JsonMessage> EditOriginalResponseAsync(ulong applicationId, string interactionToken, MessageEdit edit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(interactionToken);
        ArgumentNullException.ThrowIfNull(edit);
        edit.Validate();
        return SendAsync(Route.Create(HttpMethod.Patch, $"webhooks/{applicationId}/{interactionToken}/messages/@original"), Json(edit, RestJsonContext.Default.MessageEdit), DiscordJsonContext.Default.JsonMessage, cancellationToken);
    }

    /// <summary>POST /webhooks/{application}/{token}: a follow-up message (multipart when it carries files).</summary>
    public Task<JsonMessage> CreateFollowupMessageAsync(ulong applicationId, string interactionToken, MessageCreate message, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(interactionToken);
        ArgumentNullException.ThrowIfNull(message);
        message.Validate();
        return SendAsync(Route.Create(HttpMethod.Post, $"webhooks/{applicationId}/{interactionToken}"), MessageBody(message), DiscordJsonContext.Default.JsonMessage, cancellationToken);
    }
}
