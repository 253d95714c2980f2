using System.Text.Json;

namespace Cordial.LoadTest;

/// <summary>What the bot's <c>GET /stats</c> reported at the end of the run (counters since the reset after the warm-up).</summary>
internal sealed record BotStats(
    double UptimeSeconds,
    long MessagesReceived,
    long RepliesCompleted,
    long RepliesFailed,
    BotOverhead MessageToRequest,
    BotOverhead TokenToDiscord,
    BotOverhead InteractionToAck,
    BotProcessStats Process)
{
    public static BotStats Parse(JsonElement root)
    {
        var overhead = root.GetProperty("overhead");
        var process = root.GetProperty("process");
        return new BotStats(
            root.GetProperty("uptimeSeconds").GetDouble(),
            root.GetProperty("messagesReceived").GetInt64(),
            root.GetProperty("repliesCompleted").GetInt64(),
            root.GetProperty("repliesFailed").GetInt64(),
            BotOverhead.Parse(overhead.GetProperty("messageToRequest")),
            BotOverhead.Parse(overhead.GetProperty("tokenToDiscord")),
            BotOverhead.Parse(overhead.GetProperty("interactionToAck")),
            new BotProcessStats(
                process.GetProperty("cpuSeconds").GetDouble(),
                process.GetProperty("workingSetBytes").GetInt64(),
                process.GetProperty("peakWorkingSetBytes").GetInt64(),
                process.GetProperty("gcGen0").GetInt64(),
                process.GetProperty("gcGen1").GetInt64(),
                process.GetProperty("gcGen2").GetInt64(),
                process.GetProperty("gcPauseMs").GetDouble(),
                process.GetProperty("allocatedBytes").GetInt64(),
                process.GetProperty("threadPoolThreads").GetInt64(),
                process.GetProperty("gcHeapHardLimitBytes").GetInt64()));
    }
}
