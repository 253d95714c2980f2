using System.Globalization;
using System.Net;
using System.Text;

namespace Cordial.LoadTest;

/// <summary>The HTML report: the figures, latency histograms and a timeline, as one self-contained page (inline SVG, no script).</summary>
internal static class LoadTestHtmlReport
{
    private const int Width = 720;
    private const int Height = 220;

    public static string Render(LoadTestReport r)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>cordial loadtest</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:60em}table{border-collapse:collapse}")
            .Append("td{padding:2px 10px;border-bottom:1px solid #eee}td:first-child{color:#555}svg{background:#fafafa;border:1px solid #ddd;margin:.5em 0}")
            .Append(".pass{color:#1a7f37}.fail{color:#cf222e}text{font-size:11px;fill:#444}</style></head><body>\n");
        html.Append("<h1>cordial loadtest</h1>\n<p><code>").Append(Encode(r.Command)).Append("</code><br>")
            .Append(Encode(r.StartedAt.ToString("u", CultureInfo.InvariantCulture))).Append(" · ")
            .Append(r.ProcessorCount.ToString(CultureInfo.InvariantCulture)).Append(" cores · ").Append(Encode(r.OperatingSystem)).Append(" · ").Append(Encode(r.Runtime))
            .Append("</p>\n<h2 class=\"").Append(r.Passed ? "pass" : "fail").Append("\">")
            .Append(r.Passed ? "PASS: 0 errors, 0 × 429" : $"FAIL: {r.Errors} error(s), {r.Discord429s} × 429").Append("</h2>\n");

        html.Append("<h2>Figures</h2>\n<table>\n");
        foreach (var line in LoadTestTextReport.Render(r).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon < 0 || line.StartsWith(' '))
            {
                html.Append("<tr><td colspan=\"2\">").Append(Encode(line.Trim())).Append("</td></tr>\n");
                continue;
            }

            html.Append("<tr><td>").Append(Encode(line[..colon])).Append("</td><td>").Append(Encode(line[(colon + 2)..])).Append("</td></tr>\n");
        }

        html.Append("</table>\n<h2>Timeline</h2>\n<p>Per second: answers completed (green), messages sent (blue), answers in flight (orange, right scale), failures (red).</p>\n");
        html.Append(TimelineSvg(r.Timeline));
        html.Append("<h2>Latency histograms</h2>\n");
        html.Append(HistogramSvg("time to first Discord message (ms)", r.TimeToFirstMessage.Buckets));
        html.Append(HistogramSvg("answer time (ms)", r.AnswerTime.Buckets));
        if (r.Bot is { } bot)
        {
            html.Append(HistogramSvg("bot overhead MESSAGE_CREATE → LLM request (µs)", Coarsen(bot.MessageToRequest.Buckets)));
            html.Append(HistogramSvg("bot overhead LLM token → Discord request (µs)", Coarsen(bot.TokenToDiscord.Buckets)));
        }
        else
        {
            html.Append("<p>Bot overhead histograms: not available (").Append(Encode(r.BotStatsError ?? "no /stats")).Append(").</p>\n");
        }

        html.Append("</body></html>\n");
        return html.ToString();
    }

    public static string HistogramSvg(string title, IReadOnlyList<HistogramBucket> buckets)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<figure><figcaption>{Encode(title)}</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" role=\"img\">\n");
        var shown = buckets.ToList();
        while (shown.Count > 1 && shown[^1].Count == 0)
        {
            shown.RemoveAt(shown.Count - 1);
        }

        var first = shown.FindIndex(b => b.Count > 0);
        if (first > 0)
        {
            shown.RemoveRange(0, first);
        }

        var max = shown.Count == 0 ? 0 : shown.Max(b => b.Count);
        if (max == 0)
        {
            svg.Append("<text x=\"10\" y=\"20\">no samples</text></svg></figure>\n");
            return svg.ToString();
        }

        var barWidth = (Width - 20.0) / shown.Count;
        for (var i = 0; i < shown.Count; i++)
        {
            var h = (Height - 50.0) * shown[i].Count / max;
            var x = 10 + (i * barWidth);
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{Height - 30 - h:0.#}\" width=\"{Math.Max(1, barWidth - 2):0.#}\" height=\"{h:0.#}\" fill=\"#4c72b0\"><title>{shown[i].Count}</title></rect>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 2:0.#}\" y=\"{Height - 14}\">≤{Label(shown[i].Le)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 2:0.#}\" y=\"{Height - 34 - h:0.#}\">{shown[i].Count}</text>\n");
        }

        svg.Append("</svg></figure>\n");
        return svg.ToString();
    }

    /// <summary>Merges fine buckets (the bot's log-linear ones) into the report's 1-2-5 bounds, so a histogram has a readable number of bars.</summary>
    public static IReadOnlyList<HistogramBucket> Coarsen(IReadOnlyList<HistogramBucket> fine)
    {
        var bounds = LatencySamples.BucketBounds;
        var counts = new long[bounds.Count + 1];
        foreach (var bucket in fine)
        {
            var i = 0;
            while (i < bounds.Count && (bucket.Le is null || bucket.Le > bounds[i]))
            {
                i++;
            }

            counts[i] += bucket.Count;
        }

        return [.. counts.Select((count, i) => new HistogramBucket(i < bounds.Count ? bounds[i] : null, count))];
    }

    public static string TimelineSvg(IReadOnlyList<TimelinePoint> points)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" role=\"img\">\n");
        if (points.Count == 0)
        {
            svg.Append("<text x=\"10\" y=\"20\">no data</text></svg>\n");
            return svg.ToString();
        }

        var maxRate = Math.Max(1, points.Max(p => Math.Max(p.Sent, p.Completed)));
        var maxInFlight = Math.Max(1, points.Max(p => p.InFlight));
        var step = (Width - 60.0) / Math.Max(1, points.Count - 1);
        string Line(Func<TimelinePoint, double> value, double max, string colour) =>
            $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" points=\"" +
            string.Join(' ', points.Select((p, i) => string.Create(CultureInfo.InvariantCulture, $"{30 + (i * step):0.#},{Height - 20 - ((Height - 40) * value(p) / max):0.#}"))) + "\"/>\n";

        svg.Append(Line(p => p.Completed, maxRate, "#2ca02c"));
        svg.Append(Line(p => p.Sent, maxRate, "#1f77b4"));
        svg.Append(Line(p => p.Failed, maxRate, "#d62728"));
        svg.Append(Line(p => p.InFlight, maxInFlight, "#ff7f0e"));
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"2\" y=\"14\">{maxRate}/s</text><text x=\"{Width - 60}\" y=\"14\">{maxInFlight} in flight</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"30\" y=\"{Height - 4}\">0 s</text><text x=\"{Width - 60}\" y=\"{Height - 4}\">{points[^1].Second} s</text>\n");
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string Label(double? le) => le switch
    {
        null => "∞",
        >= 1000 => (le.Value / 1000).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        _ => le.Value.ToString("0.#", CultureInfo.InvariantCulture),
    };

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
