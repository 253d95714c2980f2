namespace Cordial.Discord.Rest.RateLimits;

/// <summary>
/// What identifies a route for rate limiting: the HTTP method, the path template (placeholders, not values)
/// and the major parameter's value (channel id, guild id, or webhook/interaction id plus token).
/// </summary>
/// <remarks>
/// The hash is computed once at construction, so the per-request lookup does not rehash three strings.
/// The major parameter may hold an interaction token: never log it; <see cref="ToString"/> leaves it out.
/// </remarks>
internal readonly struct RouteKey : IEquatable<RouteKey>
{
    private readonly int _hash;

    public RouteKey(string method, string template, string major)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(major);
        Method = method;
        Template = template;
        Major = major;
        _hash = HashCode.Combine(
            StringComparer.Ordinal.GetHashCode(method),
            StringComparer.Ordinal.GetHashCode(template),
            StringComparer.Ordinal.GetHashCode(major));
    }

    public string Method { get; }

    public string Template { get; }

    public string Major { get; }

    /// <summary>Whether the major parameter holds a webhook or interaction token, so the route serves one interaction.</summary>
    public bool HasTokenMajor => IsTokenMajor(Major);

    /// <summary>
    /// Whether a major parameter value holds a webhook or interaction token ("id/token"; channel and guild majors are
    /// bare ids).
    /// </summary>
    public static bool IsTokenMajor(string major) => major.Contains('/', StringComparison.Ordinal);

    public bool Equals(RouteKey other) =>
        _hash == other._hash
        && string.Equals(Major, other.Major, StringComparison.Ordinal)
        && string.Equals(Template, other.Template, StringComparison.Ordinal)
        && string.Equals(Method, other.Method, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is RouteKey other && Equals(other);

    public override int GetHashCode() => _hash;

    public static bool operator ==(RouteKey left, RouteKey right) => left.Equals(right);

    public static bool operator !=(RouteKey left, RouteKey right) => !left.Equals(right);

    public override string ToString() => Method + " /" + Template;
}
