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
        var health = await CheckAsync(runtime, storage, context.RequestAborted);
        context.Response.StatusCode = health.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Indented = true });
        Write(json, health);
        await json.FlushAsync(context.RequestAborted);
    }

    /// <summary>The bot's readiness now: its shards, its store, its event pump.</summary>
    internal static async Task<Health> CheckAsync(BotRuntime runtime, BotServiceCollectionExtensions.StorageHandle storage, CancellationToken cancellationToken)
    {
        var shards = runtime.Gateway.GetShardStatuses();
        var storeOk = await StoreReachableAsync(storage, cancellationToken);
        return new Health(shards, storeOk, runtime.Pump);
    }

    /// <summary>The /health document (see docs/OPERATIONS.md).</summary>
    internal static void Write(Utf8JsonWriter json, Health health)
    {
        json.WriteStartObject();
        json.WriteString("status", health.Healthy ? "healthy" : "unhealthy");
        json.WriteBoolean("store", health.StoreReachable);
        json.WriteStartArray("shards");
        foreach (var shard in health.Shards)
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
        if (health.Pump is { } pump)
        {
            json.WriteNumber("eventsHandled", pump.Handled);
            json.WriteNumber("eventsFailed", pump.Failed);
        }

        json.WriteEndObject();
    }

    /// <summary>What /health reports: healthy when every shard is ready and the store answers.</summary>
    internal sealed record Health(IReadOnlyList<GatewayShardStatus> Shards, bool StoreReachable, GatewayEventPump? Pump)
    {
        public bool Healthy => StoreReachable && Shards.Count > 0 && Shards.All(s => s.State == GatewayConnectionState.Ready);
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
