using System.Globalization;
using Cordial.Discord.Rest.RateLimits;

namespace Cordial.Discord.Rest;

/// <summary>
/// One REST call's path, built from an interpolated template so that the URL and the rate-limit key come from
/// the same source: <c>Route.Create(HttpMethod.Patch, $"channels/{channelId}/messages/{messageId}")</c> has the
/// path "channels/1/messages/2", the template "channels/{0}/messages/{1}" and the major parameter "1".
/// </summary>
internal sealed class Route
{
    private Route(HttpMethod method, string template, string path, string major, bool usesWebhookToken)
    {
        Method = method;
        Template = template;
        Path = path;
        Key = new RouteKey(method.Method, template, major);
        UsesWebhookToken = usesWebhookToken;
    }

    public HttpMethod Method { get; }

    /// <summary>The path with placeholders; safe to log.</summary>
    public string Template { get; }

    /// <summary>The relative path with values (may contain an interaction token: never log it).</summary>
    public string Path { get; }

    public RouteKey Key { get; }

    /// <summary>
    /// Interaction callbacks and interaction webhooks (follow-ups, original response) are authorised by the
    /// token in their path, not the bot token, and Discord exempts them from the global limit.
    /// </summary>
    public bool UsesWebhookToken { get; }

    /// <summary>
    /// The lane of this request in the global limiter: reads first (a model request waits on them), message edits and
    /// typing last (a later edit carries the latest text anyway), everything else between.
    /// </summary>
    public RequestPriority Priority =>
        Method == HttpMethod.Get ? RequestPriority.Urgent
        : (Method == HttpMethod.Patch && Template == "channels/{0}/messages/{1}") || (Method == HttpMethod.Post && Template == "channels/{0}/typing")
            ? RequestPriority.Deferrable
            : RequestPriority.Normal;

    /// <summary>GET, PUT, PATCH and DELETE may be repeated after a server error; POST may have happened already.</summary>
    public bool IsIdempotent => Method != HttpMethod.Post;

    public override string ToString() => Method.Method + " /" + Template;

    /// <summary>The same route with a query string ("?a=1&amp;b=2"); the query is not part of the rate-limit key.</summary>
    public Route WithQuery(string query) => new(Method, Template, Path + query, Key.Major, UsesWebhookToken);

    /// <summary>The start of an interaction callback's template, and of its major parameter's value.</summary>
    internal const string InteractionMajorPrefix = "interactions/";

    public static Route Create(HttpMethod method, FormattableString path)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        var template = path.Format;
        var arguments = path.GetArguments();
        var escaped = new object?[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            escaped[i] = Escape(arguments[i]);
        }

        var formatted = string.Format(CultureInfo.InvariantCulture, template, escaped);
        var webhook = template.StartsWith("webhooks/{0}/{1}", StringComparison.Ordinal)
            || template.StartsWith("interactions/{0}/{1}", StringComparison.Ordinal);
        string major;
        if (template.StartsWith("channels/{0}", StringComparison.Ordinal) || template.StartsWith("guilds/{0}", StringComparison.Ordinal))
        {
            major = (string)escaped[0]!;
        }
        else if (template.StartsWith(InteractionMajorPrefix, StringComparison.Ordinal))
        {
            // No other route has this major (an interaction's callback): marked so it shares no provisional stripe.
            major = InteractionMajorPrefix + (string)escaped[0]! + "/" + (string)escaped[1]!;
        }
        else if (webhook)
        {
            major = (string)escaped[0]! + "/" + (string)escaped[1]!;
        }
        else
        {
            major = "";
        }

        return new Route(method, template, formatted, major, webhook);
    }

    private static string Escape(object? argument) => argument switch
    {
        ulong id => id.ToString(CultureInfo.InvariantCulture),
        string text when text.Length > 0 => Uri.EscapeDataString(text),
        string => throw new ArgumentException("A route parameter is empty."),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        null => throw new ArgumentNullException(nameof(argument), "A route parameter is null."),
        _ => Uri.EscapeDataString(argument.ToString() ?? ""),
    };
}
