using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cordial.Emulator.Discord.Control;

/// <summary>
/// The HTTP control API under /_emulator/discord (documented in docs/emulator/discord.md): the C# control
/// surface for other processes (sandbox page, load test). JSON bodies; ids as strings.
/// </summary>
internal static class DiscordControlApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/_emulator/discord");
        Post<CreateBotRequest>(api, "/bots", (e, r, _) =>
            e.RegisterBot(string.IsNullOrWhiteSpace(r.Username) ? "Cordial" : r.Username, r.Token, r.MessageContentIntentAllowed ?? true));
        Post<CreateUserRequest>(api, "/users", (e, r, _) => e.CreateUser(r.Username, r.Bot ?? false));
        Post<CreateGuildRequest>(api, "/guilds", (e, r, _) => e.CreateGuild(r.Name, r.OwnerId));
        Post<CreateRoleRequest>(api, "/guilds/{guildId}/roles", (e, r, c) => e.CreateRole(Id(c, "guildId"), r.Name, r.Permissions ?? 0));
        Post<AddMemberRequest>(api, "/guilds/{guildId}/members", (e, r, c) =>
        {
            e.AddMember(Id(c, "guildId"), r.UserId, r.RoleIds ?? []);
            return new { ok = true };
        });
        Post<CreateChannelRequest>(api, "/guilds/{guildId}/channels", (e, r, c) =>
            e.CreateChannel(Id(c, "guildId"), r.Name, r.Kind ?? EmulatedChannelKind.Text, r.ParentId));
        Post<CreateThreadRequest>(api, "/channels/{channelId}/threads", (e, r, c) => e.CreateThread(Id(c, "channelId"), r.Name, r.OwnerId, r.StarterMessageId));
        Post<OpenDirectMessageRequest>(api, "/dms", (e, r, _) => e.OpenDirectMessage(r.UserId, r.BotUserId));
        Post<TypingRequest>(api, "/channels/{channelId}/typing", (e, r, c) =>
        {
            e.TriggerTyping(Id(c, "channelId"), r.UserId);
            return new { ok = true };
        });
        api.MapPost("/channels/{channelId}/messages", context => Run(context, async ValueTask<object> (e, c) =>
        {
            var (r, files) = c.Request.HasFormContentType ? await ReadUploadAsync(e, c) : (await ReadAsync<PostMessageRequest>(c), []);
            var options = new PostMessageOptions { ReplyToMessageId = r.ReplyToMessageId };
            foreach (var a in r.Attachments ?? [])
            {
                options.Attachments.Add(new EmulatedAttachmentInput(a.Filename, a.ContentType ?? "application/octet-stream", Convert.FromBase64String(a.DataBase64)));
            }

            foreach (var file in files)
            {
                options.Attachments.Add(file);
            }

            return (object)await e.PostMessageAsync(Id(c, "channelId"), r.AuthorId, r.Content ?? "", options, c.RequestAborted);
        }));
        api.MapPatch("/channels/{channelId}/messages/{messageId}", context => Run(context, async ValueTask<object> (e, c) =>
        {
            var r = await ReadAsync<EditMessageRequest>(c);
            return (object)await e.EditUserMessageAsync(Id(c, "channelId"), Id(c, "messageId"), r.Content ?? throw new ArgumentException("'content' is required."), c.RequestAborted);
        }));
        api.MapPost("/interactions", context => Run(context, async ValueTask<object> (e, c) =>
        {
            var r = await ReadAsync<SlashCommandRequest>(c);
            var options = r.Options?.ToDictionary(kv => kv.Key, kv => ToValue(kv.Value)) ?? [];
            if (r.Focused is { } focused)
            {
                var typed = options.Remove(focused, out var value) ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "" : "";
                return (object)await e.RunAutocompleteAsync(r.ChannelId, r.UserId, r.CommandName, focused, typed, options, c.RequestAborted);
            }

            return (object)await e.RunSlashCommandAsync(r.ChannelId, r.UserId, r.CommandName, options, c.RequestAborted);
        }));
        Get(api, "/interactions/{interactionId}", (e, c) =>
            e.GetInteraction(Id(c, "interactionId")) ?? throw new ArgumentException("No such interaction."));
        Get(api, "/channels/{channelId}/messages", (e, c) => e.GetMessages(Id(c, "channelId")));
        Get(api, "/bots/{botUserId}/stats", (e, c) => e.GetStats(Id(c, "botUserId")));
        Get(api, "/bots/{botUserId}/commands", (e, c) =>
        {
            var bot = e.GetBots().FirstOrDefault(b => b.User.Id == Id(c, "botUserId")) ?? throw new ArgumentException("No such bot.");
            var guild = c.Request.Query["guildId"].ToString();
            return e.GetCommands(bot.ApplicationId, guild.Length == 0 ? null : ulong.Parse(guild, System.Globalization.CultureInfo.InvariantCulture));
        });
        Get(api, "/state", (e, _) => new
        {
            bots = e.GetBots(),
            users = e.GetUsers(),
            guilds = e.GetGuilds().Select(g => new { guild = g, roles = e.GetRoles(g.Id) }),
            channels = e.GetChannels(),
        });
        api.MapGet("/events", StreamEventsAsync);

        Post<object>(api, "/faults/drop-connections", (e, _, _) => Done(e.Faults.DropConnections));
        Post<CloseConnectionsRequest>(api, "/faults/close-connections", (e, r, _) => Done(() => e.Faults.CloseConnections(r.Code)));
        Post<object>(api, "/faults/reconnect", (e, _, _) => Done(e.Faults.SendReconnect));
        Post<object>(api, "/faults/request-heartbeat", (e, _, _) => Done(e.Faults.RequestHeartbeat));
        Post<InvalidSessionRequest>(api, "/faults/invalid-session", (e, r, _) => Done(() => e.Faults.SendInvalidSession(r.Resumable)));
        Post<SuppressHeartbeatAcksRequest>(api, "/faults/suppress-heartbeat-acks", (e, r, _) => Done(() => e.Faults.SuppressHeartbeatAcks(r.Suppress)));
        Post<FailRouteRequest>(api, "/faults/fail-route", (e, r, _) => Done(() => e.Faults.FailRoute(r.Method, r.Route, r.Status, r.Count)));
        Post<RateLimitStormRequest>(api, "/faults/rate-limit-storm", (e, r, _) => Done(() => e.Faults.StartRateLimitStorm(TimeSpan.FromSeconds(r.Seconds))));
        Post<ResponseDelayRequest>(api, "/faults/response-delay", (e, r, _) => Done(() => e.Faults.SetResponseDelay(TimeSpan.FromMilliseconds(r.Milliseconds))));
        Post<object>(api, "/faults/reset", (e, _, _) => Done(e.Faults.Reset));
    }

    private static object Done(Action action)
    {
        action();
        return new { ok = true };
    }

    private static void Post<TRequest>(RouteGroupBuilder api, string pattern, Func<DiscordEmulator, TRequest, HttpContext, object> handler) =>
        api.MapPost(pattern, (RequestDelegate)(context => Run(context, async ValueTask<object> (e, c) => handler(e, await ReadAsync<TRequest>(c), c))));

    private static void Get(RouteGroupBuilder api, string pattern, Func<DiscordEmulator, HttpContext, object> handler) =>
        api.MapGet(pattern, (RequestDelegate)(context => Run(context, (e, c) => ValueTask.FromResult(handler(e, c)))));

    private static async Task Run(HttpContext context, Func<DiscordEmulator, HttpContext, ValueTask<object>> handler)
    {
        var emulator = context.RequestServices.GetRequiredService<DiscordEmulator>();
        emulator.NoteBaseAddress(context.Request);
        object result;
        try
        {
            result = await handler(emulator, context);
        }
        catch (UploadTooLargeException ex)
        {
            context.Response.StatusCode = 413;
            await context.Response.WriteAsJsonAsync(new { error = ex.Message }, ControlJson.Options, context.RequestAborted);
            return;
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's own limits (a body over the request size limit) and malformed multipart bodies
            context.Response.StatusCode = ex.StatusCode;
            await context.Response.WriteAsJsonAsync(new { error = ex.StatusCode == 413 ? "The upload is too large." : ex.Message }, ControlJson.Options, context.RequestAborted);
            return;
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException or FormatException or InvalidOperationException or OverflowException or InvalidDataException)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new { error = ex.Message }, ControlJson.Options, context.RequestAborted);
            return;
        }

        await context.Response.WriteAsJsonAsync(result, result.GetType(), ControlJson.Options, context.RequestAborted);
    }

    /// <summary>
    /// multipart/form-data of a message with files, as the sandbox page uploads them: <c>payload_json</c> (the JSON
    /// body) and one part per file (<c>files[n]</c>). Each file is checked against the upload limit before it is read.
    /// </summary>
    private static async Task<(PostMessageRequest Request, List<EmulatedAttachmentInput> Files)> ReadUploadAsync(DiscordEmulator emulator, HttpContext context)
    {
        const int maxFiles = 10;
        var limit = emulator.Options.UserUploadLimit;
        var bodyLimit = (maxFiles * limit) + (1024 * 1024);
        if (context.Request.ContentLength > bodyLimit)
        {
            throw new UploadTooLargeException($"The upload is {DiscordEmulator.DescribeSize(context.Request.ContentLength.Value)}: files can be at most {DiscordEmulator.DescribeSize(limit)} each, {maxFiles} per message.");
        }

        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = bodyLimit;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var payload = form["payload_json"].ToString();
        var request = payload.Length == 0
            ? throw new ArgumentException("'payload_json' is required: {authorId, content, replyToMessageId?}.")
            : JsonSerializer.Deserialize<PostMessageRequest>(payload, ControlJson.Options) ?? throw new JsonException("'payload_json' must be an object.");
        if (form.Files.Count > maxFiles)
        {
            throw new ArgumentException($"A message carries at most {maxFiles} files.");
        }

        List<EmulatedAttachmentInput> files = [];
        foreach (var file in form.Files)
        {
            var name = string.IsNullOrWhiteSpace(file.FileName) ? "file" : file.FileName;
            if (file.Length > limit)
            {
                throw new UploadTooLargeException(DiscordEmulator.TooLargeMessage(name, file.Length, limit));
            }

            using var data = new MemoryStream((int)file.Length);
            await file.CopyToAsync(data, context.RequestAborted);
            files.Add(new EmulatedAttachmentInput(name, ContentTypeOf(name, file.ContentType), data.ToArray()));
        }

        return (request, files);
    }

    /// <summary>The type the browser sent, or one guessed from the extension when it sent none (or a generic one).</summary>
    private static string ContentTypeOf(string filename, string? sent)
    {
        if (!string.IsNullOrWhiteSpace(sent) && sent != "application/octet-stream")
        {
            return sent;
        }

        return Path.GetExtension(filename).ToLowerInvariant() switch
        {
            ".txt" or ".log" => "text/plain",
            ".md" => "text/markdown",
            ".csv" => "text/csv",
            ".json" => "application/json",
            ".xml" => "application/xml",
            ".yaml" or ".yml" => "application/yaml",
            ".cs" or ".py" or ".js" or ".ts" or ".java" or ".go" or ".rs" or ".c" or ".cpp" or ".h" or ".sh" => "text/plain",
            ".png" => "image/png",
            ".jpg" or ".jpeg" => "image/jpeg",
            ".gif" => "image/gif",
            ".webp" => "image/webp",
            _ => "application/octet-stream",
        };
    }

    private static async Task<T> ReadAsync<T>(HttpContext context)
    {
        if (typeof(T) == typeof(object))
        {
            return (T)new object();
        }

        return await JsonSerializer.DeserializeAsync<T>(context.Request.Body, ControlJson.Options, context.RequestAborted)
            ?? throw new JsonException("A JSON body is required.");
    }

    private static ulong Id(HttpContext context, string name) =>
        ulong.TryParse(context.GetRouteValue(name)?.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new ArgumentException($"'{name}' must be a snowflake.");

    private static object? ToValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when value.TryGetInt64(out var l) => l,
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    };

    /// <summary>GET /_emulator/discord/events: server-sent events, one "data: {EmulatorEvent}" per state change.</summary>
    private static async Task StreamEventsAsync(HttpContext context)
    {
        var emulator = context.RequestServices.GetRequiredService<DiscordEmulator>();
        IAsyncEnumerable<EmulatorEvent> events;
        try
        {
            events = emulator.SubscribeAsync(context.RequestAborted); // registered before ": connected" is sent
        }
        catch (InvalidOperationException ex)
        {
            context.Response.StatusCode = 503;
            await context.Response.WriteAsJsonAsync(new { error = ex.Message }, ControlJson.Options, context.RequestAborted);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        try
        {
            await context.Response.WriteAsync(": connected\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await foreach (var item in events.WithCancellation(context.RequestAborted))
            {
                await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(item, ControlJson.Options) + "\n\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
