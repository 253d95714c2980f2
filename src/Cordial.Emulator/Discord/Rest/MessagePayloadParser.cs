using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cordial.Emulator.Discord.Rest;

/// <summary>Validates message bodies with Discord's limits (DISCORD-LIMITS.md) and error shapes.</summary>
internal static class MessagePayloadParser
{
    public const int MaxContent = 2000;
    public const int MaxEmbeds = 10;
    public const int MaxEmbedTotal = 6000;
    private const int ComponentsV2 = 1 << 15;
    private const int AllowedFlags = (1 << 2) | (1 << 6) | (1 << 12) | (1 << 13) | ComponentsV2;

    public static MessagePayload Parse(JsonObject body, IReadOnlyList<PendingFile> files)
    {
        var content = ReadString(body, "content");
        if (content is not null && content.Length > MaxContent)
        {
            throw DiscordRestException.InvalidFormBody("content", "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.");
        }

        string? embedsJson = null;
        if (body.TryGetPropertyValue("embeds", out var embedsNode) && embedsNode is not null)
        {
            if (embedsNode is not JsonArray embeds)
            {
                throw DiscordRestException.InvalidFormBody("embeds", "BASE_TYPE_ARRAY", "Must be an array.");
            }

            ValidateEmbeds(embeds);
            embedsJson = embeds.ToJsonString();
        }

        int? flags = null;
        if (body.TryGetPropertyValue("flags", out var flagsNode) && flagsNode is not null)
        {
            if (flagsNode is not JsonValue flagsValue || !flagsValue.TryGetValue<int>(out var f))
            {
                throw DiscordRestException.InvalidFormBody("flags", "NUMBER_TYPE_COERCE", "Value is not int.");
            }

            flags = f & AllowedFlags;
        }

        string? componentsJson = null;
        var componentCount = 0;
        if (body.TryGetPropertyValue("components", out var componentsNode) && componentsNode is JsonArray components)
        {
            componentCount = components.Count;
            if (components.Count > 40)
            {
                throw DiscordRestException.InvalidFormBody("components", "BASE_TYPE_MAX_LENGTH", "Must be 40 or fewer in length.");
            }

            componentsJson = components.ToJsonString();
        }

        if (flags is { } v2 && (v2 & ComponentsV2) != 0 && (!string.IsNullOrEmpty(content) || embedsJson is not null and not "[]"))
        {
            throw DiscordRestException.InvalidFormBody("content", "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
                "The 'content' and 'embeds' fields cannot be used when using MessageFlags.IS_COMPONENTS_V2");
        }

        string? allowedMentionsJson = null;
        if (body.TryGetPropertyValue("allowed_mentions", out var mentionsNode) && mentionsNode is JsonObject allowed)
        {
            ValidateAllowedMentions(allowed);
            allowedMentionsJson = allowed.ToJsonString();
        }

        ulong? replyTo = null;
        var failIfMissing = true;
        if (body.TryGetPropertyValue("message_reference", out var referenceNode) && referenceNode is JsonObject reference)
        {
            replyTo = ReadSnowflake(reference, "message_id")
                ?? throw DiscordRestException.InvalidFormBody("message_reference.message_id", "BASE_TYPE_REQUIRED", "This field is required");
            if (reference["fail_if_not_exists"] is JsonValue fail && fail.TryGetValue<bool>(out var failValue))
            {
                failIfMissing = failValue;
            }
        }

        var attachments = body["attachments"] as JsonArray;
        var other = componentCount > 0
            || (body["sticker_ids"] is JsonArray stickers && stickers.Count > 0)
            || body["poll"] is JsonObject;
        return new MessagePayload(content, embedsJson, flags, allowedMentionsJson, componentsJson, replyTo, failIfMissing, attachments, files, other);
    }

    /// <summary>True when a created message would have nothing to show (Discord answers 50006).</summary>
    public static bool IsEmpty(MessagePayload payload) =>
        string.IsNullOrEmpty(payload.Content) && (payload.EmbedsJson is null or "[]") && payload.Files.Count == 0 && !payload.HasOtherContent;

    public static ulong? ReadSnowflake(JsonObject node, string name)
    {
        var value = node[name];
        if (value is not JsonValue scalar)
        {
            return null;
        }

        if (scalar.TryGetValue<string>(out var text))
        {
            return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw DiscordRestException.InvalidFormBody(name, "NUMBER_TYPE_COERCE", $"Value \"{text}\" is not snowflake.");
        }

        if (scalar.TryGetValue<ulong>(out var number))
        {
            return number;
        }

        if (scalar.GetValueKind() == JsonValueKind.Number && ulong.TryParse(scalar.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture, out var raw))
        {
            return raw;
        }

        throw DiscordRestException.InvalidFormBody(name, "NUMBER_TYPE_COERCE", "Value is not snowflake.");
    }

    private static string? ReadString(JsonObject body, string name)
    {
        if (!body.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        return node is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : throw DiscordRestException.InvalidFormBody(name, "STRING_TYPE_CONVERT", "Could not interpret value as string.");
    }

    private static void ValidateEmbeds(JsonArray embeds)
    {
        if (embeds.Count > MaxEmbeds)
        {
            throw DiscordRestException.InvalidFormBody("embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.");
        }

        var total = 0;
        for (var i = 0; i < embeds.Count; i++)
        {
            if (embeds[i] is not JsonObject embed)
            {
                throw DiscordRestException.InvalidFormBody($"embeds.{i}", "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
            }

            var prefix = "embeds." + i.ToString(CultureInfo.InvariantCulture);
            total += Limit(embed, "title", 256, prefix + ".title");
            total += Limit(embed, "description", 4096, prefix + ".description");
            if (embed["footer"] is JsonObject footer)
            {
                total += Limit(footer, "text", 2048, prefix + ".footer.text");
            }

            if (embed["author"] is JsonObject author)
            {
                total += Limit(author, "name", 256, prefix + ".author.name");
            }

            if (embed["fields"] is JsonArray fields)
            {
                if (fields.Count > 25)
                {
                    throw DiscordRestException.InvalidFormBody(prefix + ".fields", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
                }

                for (var f = 0; f < fields.Count; f++)
                {
                    if (fields[f] is not JsonObject field)
                    {
                        continue;
                    }

                    var fieldPrefix = prefix + ".fields." + f.ToString(CultureInfo.InvariantCulture);
                    var nameLength = Limit(field, "name", 256, fieldPrefix + ".name");
                    var valueLength = Limit(field, "value", 1024, fieldPrefix + ".value");
                    if (nameLength == 0)
                    {
                        throw DiscordRestException.InvalidFormBody(fieldPrefix + ".name", "BASE_TYPE_REQUIRED", "This field is required");
                    }

                    if (valueLength == 0)
                    {
                        throw DiscordRestException.InvalidFormBody(fieldPrefix + ".value", "BASE_TYPE_REQUIRED", "This field is required");
                    }

                    total += nameLength + valueLength;
                }
            }
        }

        if (total > MaxEmbedTotal)
        {
            throw DiscordRestException.InvalidFormBody("embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000");
        }
    }

    private static int Limit(JsonObject node, string name, int max, string path)
    {
        var text = ReadString(node, name) ?? "";
        if (text.Length > max)
        {
            throw DiscordRestException.InvalidFormBody(path, "BASE_TYPE_MAX_LENGTH",
                "Must be " + max.ToString(CultureInfo.InvariantCulture) + " or fewer in length.");
        }

        return text.Length;
    }

    private static void ValidateAllowedMentions(JsonObject allowed)
    {
        if (allowed["parse"] is not JsonArray parse)
        {
            return;
        }

        foreach (var item in parse)
        {
            var kind = item is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            if (kind is not ("users" or "roles" or "everyone"))
            {
                throw DiscordRestException.InvalidFormBody("allowed_mentions.parse", "ENUM_TYPE_COERCE", "Value must be one of {'users', 'roles', 'everyone'}.");
            }

            if (allowed[kind] is JsonArray list && list.Count > 0)
            {
                throw DiscordRestException.InvalidFormBody("allowed_mentions", "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                    "parse:[\"" + kind + "\"] and " + kind + ": [ids...] are mutually exclusive.");
            }
        }
    }
}
