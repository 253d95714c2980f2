namespace Cordial.LoadTest;

/// <summary>REST requests the bot made on one route shape during the measured window (from the emulator's counts).</summary>
internal sealed record RouteCount(string Route, long Count)
{
    /// <summary>Per route, the end count minus the start count, most used first; routes with none left out.</summary>
    public static List<RouteCount> Between(IReadOnlyDictionary<string, long> start, IReadOnlyDictionary<string, long> end) =>
        [.. end.Select(e => new RouteCount(e.Key, e.Value - start.GetValueOrDefault(e.Key)))
            .Where(r => r.Count > 0)
            .OrderByDescending(r => r.Count)
            .ThenBy(r => r.Route, StringComparer.Ordinal)];
}
