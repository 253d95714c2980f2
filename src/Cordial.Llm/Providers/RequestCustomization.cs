using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Cordial.Llm.Configuration;

namespace Cordial.Llm.Providers;

/// <summary>
/// What a provider + model add to every request: headers, query parameters and top-level body fields
/// (the model's <c>Parameters</c> win over the provider's <c>Body</c>; a JSON <c>null</c> removes the field).
/// Immutable and shared by concurrent requests; body values are cloned per request.
/// </summary>
internal sealed class RequestCustomization
{
    private readonly FrozenSet<string> _bodyNames;

    public RequestCustomization(ProviderOptions provider, ModelOptions model)
    {
        Headers = [.. provider.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value))];
        Query = [.. provider.Query.Select(q => KeyValuePair.Create(q.Key, q.Value))];
        // Kept as JSON text and parsed per request: JsonNode is not safe to share between threads.
        var body = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in provider.Body)
        {
            body[key] = JsonSettingValue.ToJsonText(value);
        }

        foreach (var (key, value) in model.Parameters)
        {
            body[key] = JsonSettingValue.ToJsonText(value);
        }

        Body = [.. body];
        _bodyNames = body.Keys.ToFrozenSet(StringComparer.Ordinal);
        RenameMaxTokens = string.Equals(provider.Kind, ProviderKinds.OpenAI, StringComparison.OrdinalIgnoreCase) &&
                          provider.MaxTokensField == "max_tokens";
    }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Query { get; }

    /// <summary>Field name → JSON text (<c>null</c> removes the field).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Body { get; }

    /// <summary>Send <c>max_tokens</c> instead of <c>max_completion_tokens</c> (older OpenAI-compatible servers).</summary>
    public bool RenameMaxTokens { get; }

    public bool ChangesBody => Body.Count > 0 || RenameMaxTokens;

    /// <summary>Whether <see cref="Body"/> sets (or removes) the top-level field <paramref name="field"/>.</summary>
    public bool Writes(string field) => _bodyNames.Contains(field);

    /// <summary>Whether a <see cref="Body"/> value is the JSON <c>null</c> that removes its field.</summary>
    public static bool Removes(string json) => json == "null";

    /// <summary>Appends <see cref="Query"/> to <paramref name="uri"/>.</summary>
    public Uri ApplyQuery(Uri uri)
    {
        if (Query.Count == 0)
        {
            return uri;
        }

        var builder = new UriBuilder(uri);
        var extra = string.Join("&", Query.Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}"));
        builder.Query = string.IsNullOrEmpty(builder.Query) || builder.Query == "?" ? extra : builder.Query.TrimStart('?') + "&" + extra;
        return builder.Uri;
    }

    /// <summary>Merges the extra fields into a JSON object request body; anything else is returned unchanged.</summary>
    public byte[] ApplyBody(ReadOnlySpan<byte> json)
    {
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return json.ToArray();
        }

        if (parsed is not JsonObject root)
        {
            return json.ToArray();
        }

        if (RenameMaxTokens && root.Remove("max_completion_tokens", out var max))
        {
            root["max_tokens"] = max;
        }

        foreach (var (key, text) in Body)
        {
            if (Removes(text))
            {
                root.Remove(key);
            }
            else
            {
                root[key] = JsonNode.Parse(text);
            }
        }

        return System.Text.Encoding.UTF8.GetBytes(root.ToJsonString());
    }
}
