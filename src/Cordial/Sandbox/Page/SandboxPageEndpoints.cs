using System.Globalization;
using Cordial.Emulator.Discord;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Primitives;

namespace Cordial.Sandbox;

/// <summary>
/// The sandbox page: a Discord-like chat in the browser (plain HTML, CSS and JavaScript compiled into the cordial
/// assembly) that talks only to the Discord emulator's control API under /_emulator/discord/.
/// </summary>
public static class SandboxPageEndpoints
{
    /// <summary>The path of the page's stylesheet.</summary>
    internal const string StylesPath = "/sandbox/sandbox.css";

    /// <summary>The path of the page's script.</summary>
    internal const string ScriptPath = "/sandbox/sandbox.js";

    /// <summary>The path of the JSON that tells the page who is who (<see cref="SandboxPageInfo"/>).</summary>
    internal const string InfoPath = "/sandbox/info";

    private static readonly SandboxPageAsset Page = new("text/html; charset=utf-8", SandboxPageHtml.Text);
    private static readonly SandboxPageAsset Styles = new("text/css; charset=utf-8", SandboxPageStyles.Text);
    private static readonly SandboxPageAsset Script = new("text/javascript; charset=utf-8", SandboxPageScript.Text);

    /// <summary>
    /// Maps "/" (the page), its assets under /sandbox/ and GET /sandbox/info. The Discord emulator must be mapped in the
    /// same application (<c>MapDiscordEmulator</c>); a <see cref="SandboxWorld"/> singleton, when registered, names the
    /// guild, the user "you" and the bot, otherwise the first guild, human user and bot of the emulator are used.
    /// </summary>
    /// <remarks>
    /// Assets are served with <c>Cache-Control: no-cache</c> and an ETag (a reload revalidates, an unchanged asset
    /// answers 304), <c>X-Content-Type-Options: nosniff</c> and a Content-Security-Policy that allows only this origin's
    /// scripts and styles: the model's text is untrusted and the page never turns it into markup.
    /// </remarks>
    public static IEndpointRouteBuilder MapSandboxPage(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/", (HttpContext context) => Page.Serve(context)).ExcludeFromDescription();
        endpoints.MapGet("/index.html", (HttpContext context) => Page.Serve(context)).ExcludeFromDescription();
        endpoints.MapGet(StylesPath, (HttpContext context) => Styles.Serve(context)).ExcludeFromDescription();
        endpoints.MapGet(ScriptPath, (HttpContext context) => Script.Serve(context)).ExcludeFromDescription();
        endpoints.MapGet(InfoPath, GetInfo).ExcludeFromDescription();
        return endpoints;
    }

    private static Results<JsonHttpResult<SandboxPageInfo>, ProblemHttpResult> GetInfo(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        var emulator = context.RequestServices.GetService<DiscordEmulator>();
        if (emulator is null)
        {
            return TypedResults.Problem("The Discord emulator is not part of this application.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var world = context.RequestServices.GetService<SandboxWorld>();
        var configuration = context.RequestServices.GetService<IConfiguration>();
        return TypedResults.Json(SandboxPageInfo.Create(emulator, world, configuration?["Llm:DefaultModel"]));
    }

    /// <summary>One asset of the page, with its ETag.</summary>
    private sealed class SandboxPageAsset(string contentType, string text)
    {
        private readonly byte[] _bytes = System.Text.Encoding.UTF8.GetBytes(text);
        private readonly string _etag = "\"" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16] + "\"";

        public IResult Serve(HttpContext context)
        {
            var headers = context.Response.Headers;
            headers.CacheControl = "no-cache";
            headers.ETag = _etag;
            headers.XContentTypeOptions = "nosniff";
            headers.ContentSecurityPolicy =
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
            headers["Referrer-Policy"] = "no-referrer";
            if (context.Request.Headers.IfNoneMatch is { Count: > 0 } match && Matches(match, _etag))
            {
                return TypedResults.StatusCode(StatusCodes.Status304NotModified);
            }

            return TypedResults.Bytes(_bytes, contentType);
        }

        private static bool Matches(StringValues ifNoneMatch, string etag)
        {
            foreach (var value in ifNoneMatch)
            {
                foreach (var part in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    if (part == "*" || string.Equals(part, etag, StringComparison.Ordinal) || string.Equals(part, "W/" + etag, StringComparison.Ordinal))
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }

    /// <summary>Formats a snowflake for the page (ids travel as strings: JavaScript numbers lose precision).</summary>
    internal static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);
}
