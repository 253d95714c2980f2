namespace Cordial.Discord.Models;

/// <summary>Discord snowflake helpers. Snowflakes are <see cref="ulong"/> everywhere in Cordial.</summary>
public static class Snowflake
{
    /// <summary>Discord epoch (2015-01-01T00:00:00Z) in Unix milliseconds.</summary>
    public const long DiscordEpochMilliseconds = 1420070400000;

    public static DateTimeOffset GetTimestamp(ulong id) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)(id >> 22) + DiscordEpochMilliseconds);

    public static ulong FromTimestamp(DateTimeOffset time) =>
        (ulong)(time.ToUnixTimeMilliseconds() - DiscordEpochMilliseconds) << 22;
}
