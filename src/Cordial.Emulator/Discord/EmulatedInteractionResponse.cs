namespace Cordial.Emulator.Discord;

/// <summary>One response a bot gave to an interaction.</summary>
/// <param name="CallbackType">Interaction callback type (4 message, 5 deferred, ...) for <see cref="EmulatedInteractionResponseKind.Callback"/>.</param>
/// <param name="MessageId">The message created or edited, if any.</param>
public sealed record EmulatedInteractionResponse(
    EmulatedInteractionResponseKind Kind,
    int? CallbackType,
    string? Content,
    string EmbedsJson,
    int Flags,
    ulong? MessageId,
    DateTimeOffset At)
{
    /// <summary>The suggestions of an autocomplete result (callback type 8); null otherwise.</summary>
    public IReadOnlyList<EmulatedAutocompleteChoice>? Choices { get; init; }
}
