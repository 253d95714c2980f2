using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cordial.Emulator.Discord.Rest;

/// <summary>
/// The /api/v10 REST surface. Every route runs through one pipeline: authentication, fault injection,
/// the global limit, the route bucket, the handler, then rate-limit headers on the response.
/// </summary>
internal static partial class DiscordRestApi
{
    private const long MaxBodyBytes = 25L * 1024 * 1024;
    private static readonly TimeSpan DefaultBucketWindow = TimeSpan.FromSeconds(1);
    private const int DefaultBucketLimit = 50;

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v10");
        MapUsers(api);
        MapMessages(api);
        MapGuilds(api);
        MapInteractions(api);
        MapCommands(api);
        api.Map("{**rest}", async context =>
        {
            context.Response.StatusCode = 404;
            await WriteJsonAsync(context, new JsonObject { ["message"] = "404: Not Found", ["code"] = 0 });
        });
    }

    private static void Route(RouteGroupBuilder group, string method, string template, RestAuth auth, RestBucket bucket, Func<RestCall, Task<RestReply>> handler) =>
        group.MapMethods(template, [method], Pipeline(method, template, auth, bucket, handler));

    private static RequestDelegate Pipeline(string method, string template, RestAuth auth, RestBucket bucket, Func<RestCall, Task<RestReply>> handler)
    {
        var bucketHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(bucket == RestBucket.MessageWrite ? "message-write" : method + " " + template)))[..32];
        var routeName = method + " " + template;
        return async context =>
        {
            var emulator = context.RequestServices.GetRequiredService<DiscordEmulator>();
            emulator.NoteBaseAddress(context.Request);
            var response = context.Response;
            var bot = auth switch
            {
                RestAuth.Bot => emulator.Authenticate(ParseAuthorization(context.Request.Headers.Authorization.ToString())),
                RestAuth.Interaction => emulator.BotForInteraction(context),
                _ => null,
            };
            if (auth == RestAuth.Bot && bot is null)
            {
                await WriteErrorAsync(context, 401, 0, "401: Unauthorized");
                return;
            }

            bot?.CountRequest(routeName);
            var delay = emulator.Faults.ResponseDelay;
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, emulator.Time, context.RequestAborted);
            }

            if (emulator.Faults.StormRemaining() is { } storm)
            {
                await WriteTooManyAsync(context, emulator, bot, storm, global: false, "user");
                return;
            }

            if (emulator.Faults.TakeRouteFailure(method, template) is { } failure)
            {
                if (failure is 401 or 403 or 429)
                {
                    bot?.CountInvalidRequest(emulator.Time);
                }

                if (failure == 429)
                {
                    bot?.CountTooManyRequests();
                    await WriteTooManyAsync(context, emulator, null, TimeSpan.FromSeconds(1), global: false, "user");
                    return;
                }

                await WriteErrorAsync(context, failure, 0, failure.ToString(CultureInfo.InvariantCulture) + ": Emulated failure");
                return;
            }

            if (bot is not null && auth == RestAuth.Bot)
            {
                var global = emulator.RateLimits.AcquireGlobal(bot.Bot.Token);
                if (!global.Allowed)
                {
                    bot.CountGlobalHit();
                    await WriteTooManyAsync(context, emulator, bot, global.ResetAfter, global: true, "global");
                    return;
                }
            }

            if (auth != RestAuth.None)
            {
                var (limit, window) = bucket switch
                {
                    RestBucket.MessageWrite or RestBucket.InteractionWebhook => (emulator.Options.MessageBucketLimit, emulator.Options.MessageBucketWindow),
                    _ => (DefaultBucketLimit, DefaultBucketWindow),
                };
                var major = MajorParameter(context);
                var decision = emulator.RateLimits.Acquire(bucketHash + ":" + (bot?.Bot.Token ?? "-") + ":" + major, limit, window);
                WriteRateLimitHeaders(response, decision, bucketHash);
                if (!decision.Allowed)
                {
                    await WriteTooManyAsync(context, emulator, bot, decision.ResetAfter, global: false, "user");
                    return;
                }
            }

            RestReply reply;
            try
            {
                if (context.Request.ContentLength > MaxBodyBytes)
                {
                    throw new DiscordRestException(413, 40005, "Request entity too large");
                }

                reply = await handler(new RestCall(context, emulator, bot));
            }
            catch (DiscordRestException ex)
            {
                if (ex.Status is 401 or 403)
                {
                    bot?.CountInvalidRequest(emulator.Time);
                }

                JsonObject body = new() { ["message"] = ex.Message, ["code"] = ex.Code };
                if (ex.Errors is not null)
                {
                    body["errors"] = ex.Errors;
                }

                reply = new RestReply(ex.Status, body);
            }
            catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or FormatException or InvalidOperationException or JsonException)
            {
                reply = new RestReply(400, new JsonObject { ["message"] = "400: Bad Request", ["code"] = 0 });
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                DiscordEmulatorLog.RestHandlerFailed(emulator.Logger, ex, method, template);
                reply = new RestReply(500, new JsonObject { ["message"] = "500: Internal Server Error", ["code"] = 0 });
            }

            response.StatusCode = reply.Status;
            if (reply.Body is not null && reply.Status != 204)
            {
                await WriteJsonAsync(context, reply.Body);
            }
        };
    }

    private static string MajorParameter(HttpContext context)
    {
        foreach (var name in (string[])["channel_id", "guild_id", "interaction_token", "application_id"])
        {
            if (context.GetRouteValue(name) is { } value)
            {
                return name + "=" + value;
            }
        }

        return "";
    }

    private static string? ParseAuthorization(string header) =>
        header.StartsWith("Bot ", StringComparison.Ordinal) ? header[4..].Trim() : null;

    private static void WriteRateLimitHeaders(HttpResponse response, RateLimitDecision decision, string bucketHash)
    {
        var headers = response.Headers;
        headers["X-RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset"] = (decision.ResetAt.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset-After"] = Math.Max(0.001, decision.ResetAfter.TotalSeconds).ToString("0.000", CultureInfo.InvariantCulture);
        headers["X-RateLimit-Bucket"] = bucketHash;
    }

    private static async Task WriteTooManyAsync(HttpContext context, DiscordEmulator emulator, BotState? bot, TimeSpan retryAfter, bool global, string scope)
    {
        bot?.CountTooManyRequests();
        if (scope != "shared")
        {
            bot?.CountInvalidRequest(emulator.Time);
        }

        var seconds = Math.Max(0.001, Math.Round(retryAfter.TotalSeconds, 3));
        var response = context.Response;
        response.StatusCode = 429;
        response.Headers.RetryAfter = Math.Ceiling(seconds).ToString(CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Scope"] = scope;
        if (global)
        {
            response.Headers["X-RateLimit-Global"] = "true";
        }

        JsonObject body = new()
        {
            ["message"] = "You are being rate limited.",
            ["retry_after"] = seconds,
            ["global"] = global,
        };
        if (global)
        {
            body["code"] = 0;
        }

        await WriteJsonAsync(context, body);
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, int code, string message)
    {
        context.Response.StatusCode = status;
        await WriteJsonAsync(context, new JsonObject { ["message"] = message, ["code"] = code });
    }

    internal static async Task WriteJsonAsync(HttpContext context, JsonNode body)
    {
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(DiscordEmulator.Utf8(body), context.RequestAborted);
    }

    private static int ParseLimit(RestCall call)
    {
        var text = call.Http.Request.Query["limit"].ToString();
        if (text.Length == 0)
        {
            return 50;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= 100
            ? limit
            : throw DiscordRestException.InvalidFormBody("limit", "NUMBER_TYPE_MAX", "int value should be between 1 and 100.");
    }
}
