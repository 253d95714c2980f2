using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cordial.Emulator.Discord.Rest;

/// <summary>
/// Reads and validates <c>data.choices</c> of an autocomplete result (callback type 8) as Discord does: at most 25
/// choices, each with a name of 1–100 characters and a value that is a string of 1–100 characters or a number.
/// </summary>
internal static class AutocompleteChoicesParser
{
    public const int MaxChoices = 25;
    public const int MaxLength = 100;

    public static IReadOnlyList<EmulatedAutocompleteChoice> Parse(JsonNode? data)
    {
        if (data is not JsonObject body || body["choices"] is not { } node)
        {
            throw DiscordRestException.InvalidFormBody("data.choices", "BASE_TYPE_REQUIRED", "This field is required");
        }

        if (node is not JsonArray choices)
        {
            throw DiscordRestException.InvalidFormBody("data.choices", "BASE_TYPE_ARRAY", "Must be an array.");
        }

        if (choices.Count > MaxChoices)
        {
            throw DiscordRestException.InvalidFormBody("data.choices", "BASE_TYPE_MAX_LENGTH", $"Must be {MaxChoices} or fewer in length.");
        }

        var result = new List<EmulatedAutocompleteChoice>(choices.Count);
        for (var i = 0; i < choices.Count; i++)
        {
            var path = "data.choices." + i.ToString(CultureInfo.InvariantCulture);
            if (choices[i] is not JsonObject choice)
            {
                throw DiscordRestException.InvalidFormBody(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
            }

            var name = choice["name"] is JsonValue n && n.GetValueKind() == JsonValueKind.String
                ? n.GetValue<string>()
                : throw DiscordRestException.InvalidFormBody(path + ".name", "BASE_TYPE_REQUIRED", "This field is required");
            if (name.Length is 0 or > MaxLength)
            {
                throw DiscordRestException.InvalidFormBody(path + ".name", "BASE_TYPE_BAD_LENGTH", $"Must be between 1 and {MaxLength} in length.");
            }

            result.Add(new EmulatedAutocompleteChoice(name, Value(choice["value"], path + ".value")));
        }

        return result;
    }

    private static string Value(JsonNode? value, string path)
    {
        if (value is not JsonValue scalar)
        {
            throw DiscordRestException.InvalidFormBody(path, "BASE_TYPE_REQUIRED", "This field is required");
        }

        switch (scalar.GetValueKind())
        {
            case JsonValueKind.String:
                var text = scalar.GetValue<string>();
                return text.Length is 0 or > MaxLength
                    ? throw DiscordRestException.InvalidFormBody(path, "BASE_TYPE_BAD_LENGTH", $"Must be between 1 and {MaxLength} in length.")
                    : text;
            case JsonValueKind.Number:
                return scalar.ToJsonString();
            default:
                throw DiscordRestException.InvalidFormBody(path, "STRING_TYPE_CONVERT", "Could not interpret value as string or number.");
        }
    }
}
