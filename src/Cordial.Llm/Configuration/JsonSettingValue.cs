using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cordial.Llm.Configuration;

/// <summary>
/// The rule for extra body fields and model parameters: a configuration value that parses as JSON is sent as that
/// JSON; anything else is sent as a JSON string.
/// </summary>
internal static class JsonSettingValue
{
    public static JsonNode? Parse(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var trimmed = value.AsSpan().Trim();
        if (trimmed.Equals("true", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            // JSON configuration files hand booleans over as "True"/"False".
            return JsonValue.Create(trimmed.Equals("true", StringComparison.OrdinalIgnoreCase));
        }

        if (trimmed.Length > 0 && LooksLikeJson(trimmed[0]))
        {
            try
            {
                return JsonNode.Parse(value);
            }
            catch (JsonException)
            {
                // Not JSON after all: fall through to a plain string.
            }
        }

        return JsonValue.Create(value);
    }

    /// <summary>The JSON text for a value (what goes on the wire).</summary>
    public static string ToJsonText(string? value) => Parse(value)?.ToJsonString() ?? "null";

    private static bool LooksLikeJson(char first) =>
        first is '{' or '[' or '"' or '-' or 't' or 'f' or 'n' || char.IsAsciiDigit(first);
}
