using Cordial.Discord.Models;

namespace Cordial.Discord.Rest;

public sealed partial class DiscordRestClient
{
    /// <summary>POST /interactions/{id}/{token}/callback (within 3 s of the interaction; exempt from the global limit).</summary>
    public Task CreateInteractionResponseAsync(ulong interactionId, string interactionToken, InteractionCallback callback, CancellationToken cancellationToken = default) =>
        SendAsync(CallbackRoute(interactionId, interactionToken), CallbackBody(callback), cancellationToken);

    /// <summary>
    /// POST /interactions/{id}/{token}/callback?with_response=true: the same callback, answered with what it made — for
    /// a deferral, the id of the "thinking…" message that the answer will fill, known before the answer's first edit.
    /// </summary>
    public Task<JsonInteractionCallbackResponse> CreateInteractionResponseWithResultAsync(
        ulong interactionId, string interactionToken, InteractionCallback callback, CancellationToken cancellationToken = default) =>
        SendAsync(
            CallbackRoute(interactionId, interactionToken).WithQuery("?with_response=true"),
            CallbackBody(callback),
            DiscordJsonContext.Default.JsonInteractionCallbackResponse,
            cancellationToken);

    private static Route CallbackRoute(ulong interactionId, string interactionToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(interactionToken);
        return Route.Create(HttpMethod.Post, $"interactions/{interactionId}/{interactionToken}/callback");
    }

    /// <summary>A message callback's body, validated now (before any wait).</summary>
    private static Func<HttpContent?> CallbackBody(InteractionCallback callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        callback.Data?.Validate(requireBody: false);
        if (callback.Data is { Files.Count: > 0 })
        {
            throw new ArgumentException("Files in an interaction callback are not supported; send them in a follow-up.", nameof(callback));
        }

        return Json(callback, RestJsonContext.Default.InteractionCallback);
    }

    /// <summary>
    /// POST /interactions/{id}/{token}/callback with type 8 (APPLICATION_COMMAND_AUTOCOMPLETE_RESULT): the suggestions
    /// shown while a user types an autocomplete option; an empty list shows none. Within 3 s of the interaction.
    /// </summary>
    /// <exception cref="ArgumentException">More than 25 choices, or a name or string value outside 1–100 characters.</exception>
    public Task CreateAutocompleteResponseAsync(ulong interactionId, string interactionToken, IReadOnlyList<AutocompleteChoice> choices, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(interactionToken);
        ArgumentNullException.ThrowIfNull(choices);
        if (choices.Count > MaxAutocompleteChoices)
        {
            throw new ArgumentException($"An autocomplete result carries at most {MaxAutocompleteChoices} choices (got {choices.Count}).", nameof(choices));
        }

        var copy = choices.ToArray();
        for (var i = 0; i < copy.Length; i++)
        {
            (copy[i] ?? throw new ArgumentException($"Autocomplete choice {i} is null.", nameof(choices))).Validate(i);
        }

        return SendAsync(CallbackRoute(interactionId, interactionToken), Json(new AutocompleteCallback(copy), RestJsonContext.Default.AutocompleteCallback), cancellationToken);
    }

    /// <summary>Most choices an autocomplete result may carry.</summary>
    public const int MaxAutocompleteChoices = 25;

    /// <summary>PATCH /webhooks/{application}/{token}/messages/@original: edits (or, after a deferral, sends) the answer.</summary>
    public Task<JsonMessage> EditOriginalResponseAsync(ulong applicationId, string interactionToken, MessageEdit edit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(interactionToken);
        ArgumentNullException.ThrowIfNull(edit);
        edit.Validate();
        return SendAsync(Route.Create(HttpMethod.Patch, $"webhooks/{applicationId}/{interactionToken}/messages/@original"), Json(edit, RestJsonContext.Default.MessageEdit), DiscordJsonContext.Default.JsonMessage, cancellationToken);
    }

    /// <summary>
    /// PATCH /webhooks/{application}/{token}/messages/{message}: edits a follow-up message (ephemeral ones too) through the
    /// interaction's webhook, whose rate-limit bucket is the interaction token's, not the channel's.
    /// </summary>
    public Task<JsonMessage> EditFollowupMessageAsync(ulong applicationId, string interactionToken, ulong messageId, MessageEdit edit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(interactionToken);
        ArgumentNullException.ThrowIfNull(edit);
        edit.Validate();
        return SendAsync(Route.Create(HttpMethod.Patch, $"webhooks/{applicationId}/{interactionToken}/messages/{messageId}"), Json(edit, RestJsonContext.Default.MessageEdit), DiscordJsonContext.Default.JsonMessage, cancellationToken);
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
