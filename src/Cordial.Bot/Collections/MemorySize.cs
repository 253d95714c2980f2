namespace Cordial.Bot.Collections;

/// <summary>
/// What objects take in memory on a 64-bit runtime, for caches bounded by bytes (<see cref="LruCache{TKey, TValue}"/>
/// with a weight): the figures of the runtime's object layout, checked against heap dumps of the bot.
/// </summary>
public static class MemorySize
{
    /// <summary>
    /// An entry's share of an <see cref="LruCache{TKey, TValue}"/> with a 64-bit key: its list node (56 bytes) and its
    /// part of the hash table (about 40).
    /// </summary>
    public const int LruEntry = 96;

    /// <summary>A string: header, length, UTF-16 characters and terminator, 8-aligned; nothing for null or the empty string.</summary>
    public static long Of(string? text) =>
        string.IsNullOrEmpty(text) ? 0 : (22 + (2L * text.Length) + 7) & ~7L;

    /// <summary>A list or array of strings with its strings; nothing for an empty one (the shared empty array).</summary>
    public static long Of(IReadOnlyList<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return 0;
        }

        var bytes = 56L + (8L * items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            bytes += Of(items[i]);
        }

        return bytes;
    }
}
