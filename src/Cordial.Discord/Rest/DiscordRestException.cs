using System.Net;

namespace Cordial.Discord.Rest;

/// <summary>
/// Discord refused a REST call (or kept failing). Carries the HTTP status and Discord's JSON error code, e.g.
/// 50035 invalid form body, 30046 too many edits to an old message, 20028 channel write rate limit.
/// </summary>
/// <remarks>The message names the route template, never the URL (interaction tokens live in URLs).</remarks>
public sealed class DiscordRestException : Exception
{
    public DiscordRestException()
    {
    }

    public DiscordRestException(string message)
        : base(message)
    {
    }

    public DiscordRestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DiscordRestException(HttpStatusCode statusCode, int? errorCode, string? discordMessage, string route, string? errors = null)
        : base(Describe(statusCode, errorCode, discordMessage, route))
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        DiscordMessage = discordMessage;
        Route = route;
        Errors = errors;
    }

    /// <summary>The HTTP status Discord answered with.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>Discord's JSON error code (for example 50035), when the body had one.</summary>
    public int? ErrorCode { get; }

    /// <summary>Discord's error message, when the body had one.</summary>
    public string? DiscordMessage { get; }

    /// <summary>The method and route template, such as "PATCH /channels/{0}/messages/{1}".</summary>
    public string Route { get; } = "";

    /// <summary>The raw JSON of Discord's "errors" object (field-level details of a 50035), when present.</summary>
    public string? Errors { get; }

    private static string Describe(HttpStatusCode statusCode, int? errorCode, string? discordMessage, string route)
    {
        var text = $"Discord answered {(int)statusCode} ({statusCode}) to {route}";
        if (errorCode is not null)
        {
            text += $": error {errorCode}";
        }

        if (!string.IsNullOrEmpty(discordMessage))
        {
            text += (errorCode is null ? ": " : " ") + discordMessage;
        }

        return text;
    }
}
