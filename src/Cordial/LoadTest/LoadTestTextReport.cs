using System.Globalization;
using System.Text;

namespace Cordial.LoadTest;

/// <summary>The text report: one figure per line, <c>name: value</c> ("n/a" when a figure could not be measured).</summary>
internal static class LoadTestTextReport
{
    /// <summary>The name of every figure line, in order (the smoke test checks each is present).</summary>
    public static IReadOnlyList<string> FigureNames { get; } =
    [
        "users", "duration s", "warm-up s", "guilds", "channels", "threads", "mix", "model ttft ms", "model tokens/s", "answer tokens",
        "messages sent", "mentions sent", "replies to answers sent", "slash commands sent", "images sent",
        "replies", "replies in window", "messages/s", "errors", "discord 429s", "discord global 429s",
        "discord requests per reply",
        "time to first discord message p50 ms", "time to first discord message p95 ms", "time to first discord message p99 ms",
        "answer time p50 ms", "answer time p95 ms", "answer time p99 ms",
        "bot overhead message→request p50 µs", "bot overhead message→request p95 µs", "bot overhead message→request p99 µs",
        "bot overhead token→discord p50 µs", "bot overhead token→discord p95 µs", "bot overhead token→discord p99 µs",
        "bot interaction→acknowledged p50 ms", "bot interaction→acknowledged p95 ms", "bot interaction→acknowledged p99 ms",
        "bot cpu s", "bot peak working set MB", "bot gc gen0", "bot gc gen1", "bot gc gen2", "bot gc pause ms", "bot allocated MB", "bot gc heap limit MB",
        "bot cpu s (outside, /proc, measured window)", "bot peak rss MB (outside, VmHWM)",
        "load average", "result",
    ];

    public static string Render(LoadTestReport r)
    {
        var text = new StringBuilder();
        void Line(string name, object? value) => text.Append(name).Append(": ").Append(Format(value)).Append('\n');

        Line("users", r.Users);
        Line("duration s", r.MeasuredSeconds);
        Line("warm-up s", r.WarmupSeconds);
        Line("guilds", r.Guilds);
        Line("channels", r.Channels);
        Line("threads", r.Threads);
        Line("mix", r.Mix);
        Line("model ttft ms", r.TimeToFirstTokenMs);
        Line("model tokens/s", r.TokensPerSecond);
        Line("answer tokens", r.AnswerTokens);
        Line("messages sent", r.MessagesSent);
        Line("mentions sent", r.MentionsSent);
        Line("replies to answers sent", r.RepliesToAnswersSent);
        Line("slash commands sent", r.SlashCommandsSent);
        Line("images sent", r.ImagesSent);
        Line("replies", r.Replies);
        Line("replies in window", r.RepliesInWindow);
        Line("messages/s", r.MessagesPerSecond);
        Line("errors", r.Errors);
        foreach (var reason in r.ErrorReasons)
        {
            text.Append("  ").Append(reason.Count.ToString(CultureInfo.InvariantCulture)).Append(" × ").Append(reason.Reason).Append('\n');
        }

        Line("discord 429s", r.Discord429s);
        Line("discord global 429s", r.DiscordGlobal429s);
        Line("discord requests per reply", r.DiscordRequestsPerReply);
        foreach (var route in r.DiscordRequestsByRoute)
        {
            text.Append("  ").Append(route.Count.ToString(CultureInfo.InvariantCulture)).Append(" × ").Append(route.Route).Append('\n');
        }

        Line("time to first discord message p50 ms", r.TimeToFirstMessage.P50Ms);
        Line("time to first discord message p95 ms", r.TimeToFirstMessage.P95Ms);
        Line("time to first discord message p99 ms", r.TimeToFirstMessage.P99Ms);
        Line("answer time p50 ms", r.AnswerTime.P50Ms);
        Line("answer time p95 ms", r.AnswerTime.P95Ms);
        Line("answer time p99 ms", r.AnswerTime.P99Ms);
        Line("bot overhead message→request p50 µs", r.Bot?.MessageToRequest.P50Us);
        Line("bot overhead message→request p95 µs", r.Bot?.MessageToRequest.P95Us);
        Line("bot overhead message→request p99 µs", r.Bot?.MessageToRequest.P99Us);
        Line("bot overhead token→discord p50 µs", r.Bot?.TokenToDiscord.P50Us);
        Line("bot overhead token→discord p95 µs", r.Bot?.TokenToDiscord.P95Us);
        Line("bot overhead token→discord p99 µs", r.Bot?.TokenToDiscord.P99Us);
        Line("bot interaction→acknowledged p50 ms", r.Bot?.InteractionToAck.P50Us / 1000);
        Line("bot interaction→acknowledged p95 ms", r.Bot?.InteractionToAck.P95Us / 1000);
        Line("bot interaction→acknowledged p99 ms", r.Bot?.InteractionToAck.P99Us / 1000);
        Line("bot cpu s", r.Bot?.Process.CpuSeconds);
        Line("bot peak working set MB", Megabytes(r.Bot?.Process.PeakWorkingSetBytes));
        Line("bot gc gen0", r.Bot?.Process.GcGen0);
        Line("bot gc gen1", r.Bot?.Process.GcGen1);
        Line("bot gc gen2", r.Bot?.Process.GcGen2);
        Line("bot gc pause ms", r.Bot?.Process.GcPauseMs);
        Line("bot allocated MB", Megabytes(r.Bot?.Process.AllocatedBytes));
        Line("bot gc heap limit MB", r.Bot?.Process.GcHeapHardLimitBytes switch { null => null, 0 => "none", var limit => Megabytes(limit) });
        Line("bot cpu s (outside, /proc, measured window)", r.BotCpuSecondsMeasured);
        Line("bot peak rss MB (outside, VmHWM)", Megabytes(r.BotPeakRssBytes));
        Line("load average", r.LoadAverageAtStart is null ? null : $"{r.LoadAverageAtStart} → {r.LoadAverageAtEnd}");
        if (r.BotStatsError is { } error)
        {
            text.Append("  (bot /stats: ").Append(error).Append(")\n");
        }

        Line("result", r.Passed ? "PASS (0 errors, 0 × 429)" : "FAIL (errors or 429s above 0)");
        return text.ToString();
    }

    public static string Format(object? value) => value switch
    {
        null => "n/a",
        double d => Math.Round(d, d >= 100 ? 0 : d >= 10 ? 1 : 2).ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "n/a",
    };

    public static double? Megabytes(long? bytes) => bytes / (1024.0 * 1024.0);
}
