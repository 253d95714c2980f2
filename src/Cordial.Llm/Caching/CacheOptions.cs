namespace Cordial.Llm.Caching;

/// <summary>Settings of <see cref="ResponseCachingChatClient"/>, bound from configuration section <see cref="SectionName"/>.</summary>
/// <remarks>Validated by <see cref="CacheOptionsValidator"/>; the stage copies the values when it is created.</remarks>
public sealed class CacheOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Llm:Cache";

    /// <summary>The built-in time-sensitive patterns (case-insensitive whole words), used when <see cref="TimeSensitivePatterns"/> is null.</summary>
    public static IReadOnlyList<string> DefaultTimeSensitivePatterns { get; } =
    [
        @"\btoday\b", @"\bnow\b", @"\blatest\b", @"\bcurrent\b", @"\btonight\b", @"\bthis\s+week\b", @"\bnews\b", @"\bweather\b", @"\bprices?\b",
    ];

    /// <summary>Whether answers are cached at all.</summary>
    /// <value>Default true.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>How long a stored answer may be served.</summary>
    /// <value>Default 5 min; 1 s to 1 day.</value>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Upper bound of the bytes held by the cache (payloads plus a fixed per-entry overhead); least recently used answers are evicted beyond it.</summary>
    /// <value>Default 2 MiB (2097152): about 3,000 answers of a few hundred characters; 64 KiB to 4 GiB.</value>
    public long MaxBytes { get; set; } = 2L * 1024 * 1024;

    /// <summary>Answers whose UTF-8 text is larger than this many bytes are stored Brotli-compressed.</summary>
    /// <value>Default 1024; 0 to 1 MiB.</value>
    public int CompressionThreshold { get; set; } = 1024;

    /// <summary>Whether prompts matching <see cref="TimeSensitivePatterns"/> skip the cache.</summary>
    /// <value>Default true.</value>
    public bool BypassTimeSensitive { get; set; } = true;

    /// <summary>
    /// Regular expressions (matched case-insensitively against the last user message) that mark a prompt as
    /// time-sensitive. Null = <see cref="DefaultTimeSensitivePatterns"/>; a configured list replaces the defaults.
    /// </summary>
    /// <value>Default null (the built-in list); at most 64 patterns of at most 1000 characters, each a valid regex.</value>
    public string[]? TimeSensitivePatterns { get; set; }

    /// <summary>Guilds whose requests never use the cache (matched against <c>ChatOptions.AdditionalProperties["cordial.guild_id"]</c>).</summary>
    /// <value>Default empty; at most 10000 ids.</value>
    public ulong[] BypassGuildIds { get; set; } = [];

    /// <summary>Copies these options (arrays included).</summary>
    public CacheOptions Clone()
    {
        var clone = (CacheOptions)MemberwiseClone();
        clone.TimeSensitivePatterns = TimeSensitivePatterns?.ToArray();
        clone.BypassGuildIds = BypassGuildIds?.ToArray() ?? [];
        return clone;
    }
}
