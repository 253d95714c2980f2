using System.Text.Json.Serialization;

namespace Cordial.Discord.Models;

public sealed class JsonReady
{
    [JsonPropertyName("v")]
    public int Version { get; set; }

    [JsonPropertyName("user")]
    public JsonUser User { get; set; } = new();

    [JsonPropertyName("guilds")]
    public JsonGuild[] Guilds { get; set; } = [];

    [JsonPropertyName("session_id")]
    public string SessionId { get; set; } = "";

    [JsonPropertyName("resume_gateway_url")]
    public string ResumeGatewayUrl { get; set; } = "";

    /// <summary>[shard_id, num_shards] when sharded.</summary>
    [JsonPropertyName("shard")]
    public int[]? Shard { get; set; }

    [JsonPropertyName("application")]
    public JsonPartialApplication Application { get; set; } = new();
}

public sealed class JsonPartialApplication
{
    [JsonPropertyName("id"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public ulong Id { get; set; }

    [JsonPropertyName("flags")]
    public int Flags { get; set; }
}

/// <summary>GET /gateway/bot.</summary>
public sealed class JsonGatewayBot
{
    [JsonPropertyName("url")]
    public string Url { get; set; } = "";

    [JsonPropertyName("shards")]
    public int Shards { get; set; } = 1;

    [JsonPropertyName("session_start_limit")]
    public JsonSessionStartLimit SessionStartLimit { get; set; } = new();
}

public sealed class JsonSessionStartLimit
{
    [JsonPropertyName("total")]
    public int Total { get; set; }

    [JsonPropertyName("remaining")]
    public int Remaining { get; set; }

    [JsonPropertyName("reset_after")]
    public long ResetAfter { get; set; }

    [JsonPropertyName("max_concurrency")]
    public int MaxConcurrency { get; set; } = 1;
}
