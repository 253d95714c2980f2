using System.Text.Json.Nodes;

namespace Cordial.Emulator.Discord;

/// <summary>An error answered as Discord does: {"message","code","errors"?}.</summary>
internal sealed class DiscordRestException(int status, int code, string message, JsonObject? errors = null) : Exception(message)
{
    public int Status { get; } = status;
    public int Code { get; } = code;
    public JsonObject? Errors { get; } = errors;

    public static DiscordRestException UnknownChannel() => new(404, 10003, "Unknown Channel");
    public static DiscordRestException UnknownMessage() => new(404, 10008, "Unknown Message");
    public static DiscordRestException UnknownGuild() => new(404, 10004, "Unknown Guild");
    public static DiscordRestException UnknownUser() => new(404, 10013, "Unknown User");
    public static DiscordRestException UnknownInteraction() => new(404, 10062, "Unknown interaction");
    public static DiscordRestException UnknownWebhook() => new(404, 10015, "Unknown Webhook");
    public static DiscordRestException UnknownCommand() => new(404, 10063, "Unknown application command");
    public static DiscordRestException MissingAccess() => new(403, 50001, "Missing Access");
    public static DiscordRestException EmptyMessage() => new(400, 50006, "Cannot send an empty message");
    public static DiscordRestException InvalidJson() => new(400, 50109, "The request body contains invalid JSON.");

    /// <summary>400 code 50035 with one field error in Discord's nested "errors" shape.</summary>
    public static DiscordRestException InvalidFormBody(string path, string errorCode, string errorMessage)
    {
        JsonObject leaf = new()
        {
            ["_errors"] = new JsonArray(new JsonObject { ["code"] = errorCode, ["message"] = errorMessage }),
        };
        var node = leaf;
        var parts = path.Split('.');
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            node = new JsonObject { [parts[i]] = node };
        }

        return new DiscordRestException(400, 50035, "Invalid Form Body", node);
    }
}
