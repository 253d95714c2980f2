using System.Text.Json.Serialization;
using Cordial.Discord.Models;

namespace Cordial.Discord.Rest;

/// <summary>Body of "start thread from message" and "start thread without message".</summary>
public sealed class ThreadCreate
{
    public ThreadCreate(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name.Length > 100 ? name[..100] : name;
    }

    /// <summary>1 to 100 characters (longer names are cut).</summary>
    [JsonPropertyName("name")]
    public string Name { get; }

    /// <summary>Minutes of inactivity before the thread archives: 60, 1440, 4320 or 10080.</summary>
    [JsonPropertyName("auto_archive_duration")]
    public int? AutoArchiveDuration { get; set; }

    /// <summary>Only for threads without a message; default public thread.</summary>
    [JsonPropertyName("type")]
    public ChannelType? Type { get; set; }

    [JsonPropertyName("rate_limit_per_user")]
    public int? RateLimitPerUser { get; set; }
}
