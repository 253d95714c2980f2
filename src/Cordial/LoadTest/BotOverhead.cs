using System.Text.Json;

namespace Cordial.LoadTest;

/// <summary>One of the bot's overhead histograms from /stats (microseconds).</summary>
internal sealed record BotOverhead(long Count, double P50Us, double P95Us, double P99Us, double MaxUs, IReadOnlyList<HistogramBucket> Buckets)
{
    public static BotOverhead Parse(JsonElement h)
    {
        var buckets = new List<HistogramBucket>();
        if (h.TryGetProperty("buckets", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var b in list.EnumerateArray())
            {
                var le = b.GetProperty("leUs");
                buckets.Add(new HistogramBucket(le.ValueKind == JsonValueKind.Number ? le.GetDouble() : null, b.GetProperty("count").GetInt64()));
            }
        }

        return new BotOverhead(
            h.GetProperty("count").GetInt64(),
            h.GetProperty("p50Us").GetDouble(),
            h.GetProperty("p95Us").GetDouble(),
            h.GetProperty("p99Us").GetDouble(),
            h.GetProperty("maxUs").GetDouble(),
            buckets);
    }
}
