using System.Text.Json;
using Cordial.Discord.Gateway;

namespace Cordial.Hosting;

/// <summary>
/// /alive: the process answers (liveness). /health: every shard is connected and the store answers (readiness);
/// 503 otherwise, with the details as JSON. Also maps /stats (<see cref="StatsApi"/>).
/// </summary>
internal static class HealthApi
{
    public static IEndpointRouteBuilder MapCordialHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/alive", () => TypedResults.Text("alive\n"));
        endpoints.MapGet("/health", WriteHealthAsync);
        endpoints.MapCordialStats();
        return endpoints;
    }

    private static async Task WriteHealthAsync(HttpContext context, BotRuntime runtime, BotServiceCollectionExtensions.StorageHandle storage)
    {
        var shards = runtime.Gateway.GetShardStatuses();
        var storeOk = await StoreReachableAsync(storage, context.RequestAborted);
        var connected = shards.Count > 0 && shards.All(s => s.State == GatewayConnectionState.Ready);
        var healthy = connected && storeOk;

        context.Response.StatusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("status", healthy ? "healthy" : "unhealthy");
        json.WriteBoolean("store", storeOk);
        json.WriteStartArray("shards");
        foreach (var shard in shards)
        {
            json.WriteStartObject();
            json.WriteNumber("id", shard.ShardId);
            json.WriteString("state", shard.State.ToString());
            if (shard.Latency is { } latency)
            {
                json.WriteNumber("latencyMs", Math.Round(latency.TotalMilliseconds, 1));
            }

            json.WriteNumber("resumes", shard.Resumes);
            json.WriteNumber("reconnects", shard.Reconnects);
            if (shard.FatalError is { } fatal)
            {
                json.WriteString("error", fatal);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (runtime.Pump is { } pump)
        {
            json.WriteNumber("eventsHandled", pump.Handled);
            json.WriteNumber("eventsFailed", pump.Failed);
        }

        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    private static async Task<bool> StoreReachableAsync(BotServiceCollectionExtensions.StorageHandle storage, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await using var command = storage.DataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or OperationCanceledException or InvalidOperationException)
        {
            return false;
        }
    }
}
