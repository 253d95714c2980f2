namespace Cordial.Discord.Gateway;

/// <summary>Builds the URL a shard connects to: the given gateway or resume URL with the v10/JSON (and compression)
/// query parameters set, keeping its path and any other query parameters.</summary>
internal static class GatewayAddress
{
    public static Uri Build(Uri gateway, GatewayCompression compression)
    {
        var builder = new UriBuilder(gateway);
        var kept = new List<string>();
        foreach (var part in builder.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = part.Split('=', 2)[0];
            if (name is not ("v" or "encoding" or "compress"))
            {
                kept.Add(part);
            }
        }

        kept.Add("v=10");
        kept.Add("encoding=json");
        if (compression == GatewayCompression.ZlibStream)
        {
            kept.Add("compress=zlib-stream");
        }

        builder.Query = string.Join('&', kept);
        return builder.Uri;
    }

    /// <summary>Parses a URL sent by Discord (READY's resume_gateway_url, /gateway/bot's url); null when unusable.</summary>
    public static Uri? TryParse(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return null;
        }

        return GatewayClientOptions.ValidateGatewayUri(uri) is null ? uri : null;
    }
}
