using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cordial.Emulator.Discord.Control;

/// <summary>JSON of the control API: camelCase, snowflakes as strings (JavaScript-safe), enums as names.</summary>
internal static class ControlJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new SnowflakeJsonConverter(), new JsonStringEnumConverter() },
        WriteIndented = false,
    };
}
