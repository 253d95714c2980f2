using System.Text.Json.Serialization;
using Cordial.Discord.Models;

namespace Cordial.Discord.Rest;

/// <summary>Body of POST /interactions/{id}/{token}/callback answering an autocomplete request (type 8).</summary>
internal sealed class AutocompleteCallback(IReadOnlyList<AutocompleteChoice> choices)
{
    [JsonPropertyName("type")]
    public InteractionCallbackType Type => InteractionCallbackType.ApplicationCommandAutocompleteResult;

    [JsonPropertyName("data")]
    public AutocompleteCallbackData Data { get; } = new(choices);

    /// <summary>The <c>data</c> object: <c>{"choices": [...]}</c>.</summary>
    internal sealed class AutocompleteCallbackData(IReadOnlyList<AutocompleteChoice> choices)
    {
        [JsonPropertyName("choices")]
        public IReadOnlyList<AutocompleteChoice> Choices { get; } = choices;
    }
}
