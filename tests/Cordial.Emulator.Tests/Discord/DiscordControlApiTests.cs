using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Cordial.Emulator.Tests.Discord;

public sealed class DiscordControlApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonNode> PostAsync(HttpClient http, string path, JsonNode body)
    {
        var response = await http.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!;
    }

    [Fact]
    public async Task A_world_is_built_driven_and_read_over_http()
    {
        await using var world = await EmulatorWorld.StartAsync();
        using var control = new HttpClient { BaseAddress = new Uri(world.Host.BaseAddress, "_emulator/discord/") };

        var bot = await PostAsync(control, "bots", new JsonObject { ["username"] = "Helper", ["token"] = "helper-token" });
        Assert.Equal("helper-token", (string?)bot["token"]);
        Assert.IsType<string>((string?)bot["user"]!["id"]);
        var user = await PostAsync(control, "users", new JsonObject { ["username"] = "bob" });
        var userId = (string)user["id"]!;
        var guild = await PostAsync(control, "guilds", new JsonObject { ["name"] = "Over HTTP", ["ownerId"] = userId });
        var guildId = (string)guild["id"]!;
        var role = await PostAsync(control, $"guilds/{guildId}/roles", new JsonObject { ["name"] = "vip", ["permissions"] = "8" });
        await PostAsync(control, $"guilds/{guildId}/members", new JsonObject { ["userId"] = userId, ["roleIds"] = new JsonArray(role["id"]!.DeepClone()) });
        var channel = await PostAsync(control, $"guilds/{guildId}/channels", new JsonObject { ["name"] = "chat", ["kind"] = "Text" });
        var channelId = (string)channel["id"]!;

        var posted = await PostAsync(control, $"channels/{channelId}/messages", new JsonObject
        {
            ["authorId"] = userId,
            ["content"] = "hello over http",
            ["attachments"] = new JsonArray(new JsonObject { ["filename"] = "a.txt", ["contentType"] = "text/plain", ["dataBase64"] = Convert.ToBase64String("abc"u8.ToArray()) }),
        });
        Assert.Equal("hello over http", (string?)posted["content"]);

        using var botHttp = new HttpClient { BaseAddress = world.Host.RestBaseAddress };
        botHttp.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bot", "helper-token");
        await botHttp.PatchAsync($"channels/{channelId}/messages/{(string)posted["id"]!}", new StringContent("""{"content":"nope"}""", Encoding.UTF8, "application/json"), Ct);
        var reply = await botHttp.PostAsync($"channels/{channelId}/messages", new StringContent("""{"content":"v1"}""", Encoding.UTF8, "application/json"), Ct);
        var replyId = (string)JsonNode.Parse(await reply.Content.ReadAsStringAsync(Ct))!["id"]!;
        await botHttp.PatchAsync($"channels/{channelId}/messages/{replyId}", new StringContent("""{"content":"v2"}""", Encoding.UTF8, "application/json"), Ct);

        var messages = JsonNode.Parse(await control.GetStringAsync($"channels/{channelId}/messages", Ct))!.AsArray();
        Assert.Equal(2, messages.Count);
        Assert.Equal("hello over http", (string?)messages[0]!["content"]);
        Assert.Single(messages[0]!["attachments"]!.AsArray());
        Assert.Equal(["v1", "v2"], messages[1]!["revisions"]!.AsArray().Select(r => (string?)r!["content"]));
        Assert.NotNull((string?)messages[1]!["revisions"]![1]!["at"]);

        var stats = JsonNode.Parse(await control.GetStringAsync($"bots/{(string)bot["user"]!["id"]!}/stats", Ct))!;
        Assert.Equal(3, (int)stats["restRequests"]!);
        Assert.Equal(1, (int)stats["invalidRequests"]!);

        var state = JsonNode.Parse(await control.GetStringAsync("state", Ct))!;
        Assert.Contains(state["guilds"]!.AsArray(), g => (string?)g!["guild"]!["id"] == guildId);

        var bad = await control.PostAsync("guilds/123/channels", new StringContent("""{"name":"x"}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("123", (string?)JsonNode.Parse(await bad.Content.ReadAsStringAsync(Ct))!["error"]);
    }

    [Fact]
    public async Task Slash_commands_and_faults_over_http()
    {
        await using var world = await EmulatorWorld.StartAsync();
        using var control = new HttpClient { BaseAddress = new Uri(world.Host.BaseAddress, "_emulator/discord/") };
        await using var client = await world.ConnectAsync();
        await client.IdentifyAsync(world.Bot.Token, EmulatorWorld.DefaultIntents);

        var interaction = await PostAsync(control, "interactions", new JsonObject
        {
            ["channelId"] = world.Channel.Id.ToString(),
            ["userId"] = world.Human.Id.ToString(),
            ["commandName"] = "ask",
            ["options"] = new JsonObject { ["prompt"] = "hi" },
        });
        var dispatched = (await client.WaitForDispatchAsync("INTERACTION_CREATE"))["d"]!;
        Assert.Equal((string?)interaction["id"], (string?)dispatched["id"]);
        Assert.Equal("hi", (string?)dispatched["data"]!["options"]![0]!["value"]);

        await PostAsync(control, "faults/close-connections", new JsonObject { ["code"] = 4009 });
        Assert.Equal(4009, await client.WaitForCloseAsync());

        await PostAsync(control, "faults/fail-route", new JsonObject { ["method"] = "GET", ["route"] = "/users/@me", ["status"] = 502, ["count"] = 1 });
        Assert.Equal(HttpStatusCode.BadGateway, (await world.Http.GetAsync("users/@me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await world.Http.GetAsync("users/@me", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_user_edits_their_message_over_http_and_the_bot_receives_the_whole_message_updated()
    {
        await using var world = await EmulatorWorld.StartAsync();
        using var control = new HttpClient { BaseAddress = new Uri(world.Host.BaseAddress, "_emulator/discord/") };
        await using var client = await world.ConnectAsync();
        await client.IdentifyAsync(world.Bot.Token, EmulatorWorld.DefaultIntents);
        await client.WaitForDispatchAsync("GUILD_CREATE");
        var posted = await world.Emulator.PostMessageAsync(world.Channel.Id, world.Human.Id, "frist", new Cordial.Emulator.Discord.PostMessageOptions
        {
            Attachments = { new Cordial.Emulator.Discord.EmulatedAttachmentInput("a.txt", "text/plain", "abc"u8.ToArray()) },
        }, Ct);
        await client.WaitForDispatchAsync("MESSAGE_CREATE");

        var edited = await control.PatchAsync($"channels/{world.Channel.Id}/messages/{posted.Id}",
            new StringContent("""{"content":"first"}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);

        var d = (await client.WaitForDispatchAsync("MESSAGE_UPDATE"))["d"]!;
        Assert.Equal(posted.Id.ToString(), (string?)d["id"]);
        Assert.Equal("first", (string?)d["content"]);
        Assert.Equal(world.Human.Id.ToString(), (string?)d["author"]!["id"]);
        Assert.Equal("a.txt", (string?)d["attachments"]![0]!["filename"]); // attachments stay
        Assert.NotNull((string?)d["edited_timestamp"]);
        Assert.Equal(["frist", "first"], world.Emulator.GetMessage(world.Channel.Id, posted.Id)!.Revisions.Select(r => r.Content));

        // a bot's message, an unknown message and an empty message are refused with a clear error
        var botMessage = JsonNode.Parse(await (await world.SendMessageAsync("from the bot")).Content.ReadAsStringAsync(Ct))!;
        var refusedBot = await control.PatchAsync($"channels/{world.Channel.Id}/messages/{(string)botMessage["id"]!}",
            new StringContent("""{"content":"x"}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refusedBot.StatusCode);
        Assert.Contains("bot", await refusedBot.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var refusedUnknown = await control.PatchAsync($"channels/{world.Channel.Id}/messages/1",
            new StringContent("""{"content":"x"}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refusedUnknown.StatusCode);
        var textOnly = await world.Emulator.PostMessageAsync(world.Channel.Id, world.Human.Id, "text", cancellationToken: Ct);
        await Assert.ThrowsAsync<ArgumentException>(() => world.Emulator.EditUserMessageAsync(world.Channel.Id, textOnly.Id, "", Ct));
    }

    private static MultipartFormDataContent Upload(string payloadJson, params (string Name, string? Type, byte[] Data)[] files)
    {
        var form = new MultipartFormDataContent { { new StringContent(payloadJson, Encoding.UTF8, "application/json"), "payload_json" } };
        for (var i = 0; i < files.Length; i++)
        {
            var part = new ByteArrayContent(files[i].Data);
            if (files[i].Type is { } type)
            {
                part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(type);
            }

            form.Add(part, $"files[{i}]", files[i].Name);
        }

        return form;
    }

    [Fact]
    public async Task Files_uploaded_as_multipart_become_attachments_served_at_their_cdn_style_url()
    {
        await using var world = await EmulatorWorld.StartAsync();
        using var control = new HttpClient { BaseAddress = new Uri(world.Host.BaseAddress, "_emulator/discord/") };
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];
        var payload = $$"""{"authorId":"{{world.Human.Id}}","content":"see attached"}""";

        var response = await control.PostAsync($"channels/{world.Channel.Id}/messages",
            Upload(payload, ("notes.txt", "text/plain", "line one\nline two"u8.ToArray()), ("plot.png", null, png), ("readme.md", "application/octet-stream", "# hi"u8.ToArray())), Ct);

        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var id = ulong.Parse((string)JsonNode.Parse(text)!["id"]!, System.Globalization.CultureInfo.InvariantCulture);
        var message = world.Emulator.GetMessage(world.Channel.Id, id)!;
        Assert.Equal("see attached", message.Content);
        Assert.Equal(["notes.txt", "plot.png", "readme.md"], message.Attachments.Select(a => a.Filename));
        Assert.Equal(["text/plain", "image/png", "text/markdown"], message.Attachments.Select(a => a.ContentType)); // guessed when the browser sent none
        var served = await world.Http.GetAsync(new Uri(world.Host.BaseAddress, message.Attachments[0].Path), Ct);
        Assert.Equal("line one\nline two", await served.Content.ReadAsStringAsync(Ct));
        Assert.Equal("text/plain", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal(png, await world.Http.GetByteArrayAsync(new Uri(world.Host.BaseAddress, message.Attachments[1].Path), Ct));
    }

    [Fact]
    public async Task A_file_over_the_upload_limit_is_refused_with_413_naming_it_and_nothing_is_posted()
    {
        await using var world = await EmulatorWorld.StartAsync();
        using var control = new HttpClient { BaseAddress = new Uri(world.Host.BaseAddress, "_emulator/discord/") };
        Assert.Equal(10L * 1024 * 1024, world.Emulator.UserUploadLimit); // Discord's limit without Nitro
        var payload = $$"""{"authorId":"{{world.Human.Id}}","content":"too big"}""";

        var oversized = await control.PostAsync($"channels/{world.Channel.Id}/messages",
            Upload(payload, ("small.txt", "text/plain", "ok"u8.ToArray()), ("huge.log", "text/plain", new byte[(10 * 1024 * 1024) + 1])), Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized.StatusCode);
        var error = (string?)JsonNode.Parse(await oversized.Content.ReadAsStringAsync(Ct))!["error"];
        Assert.Equal("The file huge.log is too large (10,485,761 bytes): files can be at most 10 MB (10,485,760 bytes).", error);
        Assert.Empty(world.Emulator.GetMessages(world.Channel.Id));

        // exactly the limit is fine
        var fits = await control.PostAsync($"channels/{world.Channel.Id}/messages",
            Upload(payload, ("edge.log", "text/plain", new byte[10 * 1024 * 1024])), Ct);
        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);

        // and a multipart body without its payload_json is a clear 400
        var noPayload = await control.PostAsync($"channels/{world.Channel.Id}/messages",
            new MultipartFormDataContent { { new ByteArrayContent("x"u8.ToArray()), "files[0]", "x.txt" } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noPayload.StatusCode);
        Assert.Contains("payload_json", await noPayload.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_upload_limit_applies_to_base64_attachments_and_the_csharp_api_too()
    {
        await using var world = await EmulatorWorld.StartAsync(o => o.UserUploadLimit = 1000);
        using var control = new HttpClient { BaseAddress = new Uri(world.Host.BaseAddress, "_emulator/discord/") };
        var response = await PostRawAsync(control, $"channels/{world.Channel.Id}/messages", new JsonObject
        {
            ["authorId"] = world.Human.Id.ToString(),
            ["content"] = "x",
            ["attachments"] = new JsonArray(new JsonObject { ["filename"] = "a.bin", ["dataBase64"] = Convert.ToBase64String(new byte[1001]) }),
        });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("a.bin is too large (1,001 bytes): files can be at most 1000 bytes (1,000 bytes)", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var options = new Cordial.Emulator.Discord.PostMessageOptions();
        options.Attachments.Add(new Cordial.Emulator.Discord.EmulatedAttachmentInput("b.bin", "application/octet-stream", new byte[1001]));
        await Assert.ThrowsAsync<Cordial.Emulator.Discord.UploadTooLargeException>(() => world.Emulator.PostMessageAsync(world.Channel.Id, world.Human.Id, "", options, Ct));
        Assert.Empty(world.Emulator.GetMessages(world.Channel.Id));
    }

    private static Task<HttpResponseMessage> PostRawAsync(HttpClient http, string path, JsonNode body) =>
        http.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), Ct);

    [Fact]
    public async Task Events_stream_as_server_sent_events()
    {
        await using var world = await EmulatorWorld.StartAsync();
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        bound.CancelAfter(TimeSpan.FromSeconds(30)); // bounds a failing test only
        using var http = new HttpClient { BaseAddress = world.Host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync("_emulator/discord/events", HttpCompletionOption.ResponseHeadersRead, bound.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        Assert.Equal(": connected", await reader.ReadLineAsync(bound.Token));

        var posted = await world.Emulator.PostMessageAsync(world.Channel.Id, world.Human.Id, "streamed", cancellationToken: Ct);
        await world.SendMessageAsync("bot says");
        List<JsonNode> events = [];
        while (events.Count < 2)
        {
            var line = await reader.ReadLineAsync(bound.Token);
            if (line is not null && line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add(JsonNode.Parse(line["data: ".Length..])!);
            }
        }

        Assert.All(events, e => Assert.Equal("message_created", (string?)e["type"]));
        Assert.Equal(posted.Id.ToString(), (string?)events[0]["messageId"]);
        Assert.Equal("streamed", (string?)events[0]["message"]!["content"]);
        Assert.Equal("bot says", (string?)events[1]["message"]!["content"]);
    }

    [Fact]
    public async Task Subscribers_are_bounded_and_a_slow_one_loses_oldest_events()
    {
        await using var world = await EmulatorWorld.StartAsync();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        await using var enumerator = world.Emulator.SubscribeAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        await world.Emulator.PostMessageAsync(world.Channel.Id, world.Human.Id, "m0", cancellationToken: Ct);
        Assert.True(await enumerator.MoveNextAsync());
        Assert.Equal("m0", enumerator.Current.Message!.Content);
        for (var i = 1; i <= 5000; i++)
        {
            await world.Emulator.PostMessageAsync(world.Channel.Id, world.Human.Id, "m" + i, cancellationToken: Ct);
        }

        Assert.True(await enumerator.MoveNextAsync());
        Assert.NotEqual("m1", enumerator.Current.Message!.Content); // the oldest were dropped
        await cts.CancelAsync();
    }
}
