using System.Net;
using System.Text.Json;
using Cordial.Bot.Diagnostics;

namespace Cordial.Hosting;

/// <summary>
/// Local diagnostics for the load test and operators (docs/OPERATIONS.md): <c>GET /stats</c> answers the bot's own
/// overhead histograms, counters and process figures as JSON; <c>POST /stats/reset</c> zeroes the histograms and
/// counters (callers on this machine only) so a warm-up can be dropped.
/// </summary>
internal static class StatsApi
{
    private static readonly double[] Percentiles = [50, 95, 99];

    /// <summary>The answer to a reset from another machine (403).</summary>
    internal const string ResetRefusal = "/stats/reset answers callers on this machine only.\n";

    /// <summary>Whether a caller at <paramref name="remote"/> may reset the figures: this machine only (an IPv4 loopback
    /// address seen through a dual-stack socket included). Null: not a network caller (an in-process test server).</summary>
    internal static bool MayReset(IPAddress? remote) =>
        remote is null || IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);

    public static IEndpointRouteBuilder MapCordialStats(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/stats", WriteStatsAsync);
        endpoints.MapPost("/stats/reset", Reset);
        return endpoints;
    }

    private static IResult Reset(HttpContext context, BotStats stats)
    {
        if (!MayReset(context.Connection.RemoteIpAddress))
        {
            return TypedResults.Text(ResetRefusal, statusCode: StatusCodes.Status403Forbidden);
        }

        stats.Reset();
        return TypedResults.NoContent();
    }

    private static async Task WriteStatsAsync(HttpContext context, BotStats stats)
    {
        var process = ProcessFigures.Read();
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Indented = true });
        WriteStats(json, stats, process);
        await json.FlushAsync(context.RequestAborted);
    }

    /// <summary>The /stats document (see docs/OPERATIONS.md for every field).</summary>
    internal static void WriteStats(Utf8JsonWriter json, BotStats stats, ProcessFigures process)
    {
        var now = stats.Time.GetTimestamp();
        json.WriteStartObject();
        json.WriteNumber("uptimeSeconds", Math.Round(stats.Time.GetElapsedTime(stats.StartedAt, now).TotalSeconds, 3));
        json.WriteNumber("sinceResetSeconds", Math.Round(stats.Time.GetElapsedTime(stats.ResetAt, now).TotalSeconds, 3));
        json.WriteNumber("messagesReceived", stats.MessagesReceived);
        json.WriteNumber("repliesCompleted", stats.RepliesCompleted);
        json.WriteNumber("repliesFailed", stats.RepliesFailed);
        json.WriteStartObject("overhead");
        WriteHistogram(json, "messageToRequest", stats.MessageToRequest.Snapshot());
        WriteHistogram(json, "tokenToDiscord", stats.TokenToDiscord.Snapshot());
        WriteHistogram(json, "interactionToAck", stats.InteractionToAck.Snapshot());
        json.WriteEndObject();
        json.WriteStartObject("process");
        json.WriteNumber("cpuSeconds", Math.Round(process.CpuSeconds, 3));
        json.WriteNumber("workingSetBytes", process.WorkingSetBytes);
        json.WriteNumber("peakWorkingSetBytes", process.PeakWorkingSetBytes);
        json.WriteNumber("gcGen0", process.GcGen0);
        json.WriteNumber("gcGen1", process.GcGen1);
        json.WriteNumber("gcGen2", process.GcGen2);
        json.WriteNumber("gcPauseMs", Math.Round(process.GcPauseMilliseconds, 3));
        json.WriteNumber("allocatedBytes", process.AllocatedBytes);
        json.WriteNumber("threadPoolThreads", process.ThreadPoolThreads);
        json.WriteNumber("gcHeapHardLimitBytes", process.GcHeapHardLimitBytes);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteHistogram(Utf8JsonWriter json, string name, LatencyHistogramSnapshot histogram)
    {
        json.WriteStartObject(name);
        json.WriteNumber("count", histogram.Count);
        json.WriteNumber("p50Us", Microseconds(histogram.PercentileNanoseconds(Percentiles[0])));
        json.WriteNumber("p95Us", Microseconds(histogram.PercentileNanoseconds(Percentiles[1])));
        json.WriteNumber("p99Us", Microseconds(histogram.PercentileNanoseconds(Percentiles[2])));
        json.WriteNumber("maxUs", Microseconds(histogram.MaxNanoseconds));
        json.WriteStartArray("buckets");
        foreach (var (upperBound, count) in histogram.Buckets())
        {
            json.WriteStartObject();
            json.WriteNumber("leUs", Microseconds(upperBound));
            json.WriteNumber("count", count);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static double Microseconds(double nanoseconds) => Math.Round(nanoseconds / 1000, 3);
}
