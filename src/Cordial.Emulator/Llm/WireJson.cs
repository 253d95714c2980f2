using System.Text.Json;

namespace Cordial.Emulator.Llm;

/// <summary>Small readers for request JSON that turn every shape error into a <see cref="ChatRequestException"/>.</summary>
internal static class WireJson
{
    public static JsonElement RequireObject(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ChatRequestException("The request body must be a JSON object.");
        }

        return root;
    }

    public static string RequireString(JsonElement parent, string name, string where)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw new ChatRequestException($"{where}{name}: field required.");
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new ChatRequestException($"{where}{name}: expected a string, got {Describe(value)}.");
        }

        return value.GetString()!;
    }

    public static string? OptionalString(JsonElement parent, string name, string where)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new ChatRequestException($"{where}{name}: expected a string, got {Describe(value)}.");
        }

        return value.GetString();
    }

    public static bool OptionalBool(JsonElement parent, string name, string where)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new ChatRequestException($"{where}{name}: expected a boolean, got {Describe(value)}."),
        };
    }

    public static int? OptionalPositiveInt(JsonElement parent, string name, string where)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            throw new ChatRequestException($"{where}{name}: expected an integer, got {Describe(value)}.");
        }

        if (number < 1)
        {
            throw new ChatRequestException($"{where}{name}: must be at least 1, got {number}.");
        }

        return (int)Math.Min(number, int.MaxValue);
    }

    public static void OptionalNumber(JsonElement parent, string name, string where, double min, double max)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number))
        {
            throw new ChatRequestException($"{where}{name}: expected a number, got {Describe(value)}.");
        }

        if (number < min || number > max)
        {
            throw new ChatRequestException($"{where}{name}: must be between {min} and {max}, got {number}.");
        }
    }

    public static JsonElement? OptionalArray(JsonElement parent, string name, string where)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new ChatRequestException($"{where}{name}: expected an array, got {Describe(value)}.");
        }

        return value;
    }

    public static JsonElement? OptionalObject(JsonElement parent, string name, string where)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new ChatRequestException($"{where}{name}: expected an object, got {Describe(value)}.");
        }

        return value;
    }

    /// <summary>Checks an image URL: a data: URL with base64 payload, or an http(s) URL.</summary>
    public static void ValidateImageUrl(string url, string where)
    {
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var comma = url.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || !url.AsSpan(0, comma).EndsWith(";base64", StringComparison.OrdinalIgnoreCase)
                || !url.AsSpan(5).StartsWith("image/", StringComparison.OrdinalIgnoreCase))
            {
                throw new ChatRequestException($"{where}: invalid image data URL (expected data:image/<type>;base64,<data>).");
            }

            return;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ChatRequestException($"{where}: invalid image URL (expected an http(s) URL or a data: URL).");
        }
    }

    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
