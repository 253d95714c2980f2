using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cordial.Emulator.Discord;

namespace Cordial.Emulator.Tests.Discord;

public sealed class DiscordRestTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Message_create_get_edit_delete_round_trip()
    {
        await using var world = await EmulatorWorld.StartAsync();

        var created = await world.SendMessageAsync("hello <@" + world.Human.Id + ">");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var message = await EmulatorWorld.ReadJsonAsync(created);
        var id = (string)message["id"]!;
        Assert.Equal(world.Channel.Id.ToString(), (string?)message["channel_id"]);
        Assert.Equal(world.Bot.User.Id.ToString(), (string?)message["author"]!["id"]);
        Assert.True((bool)message["author"]!["bot"]!);
        Assert.Equal(world.Human.Id.ToString(), (string?)message["mentions"]![0]!["id"]);

        var fetched = await EmulatorWorld.ReadJsonAsync(await world.Http.GetAsync($"channels/{world.Channel.Id}/messages/{id}", Ct));
        Assert.Equal("hello <@" + world.Human.Id + ">", (string?)fetched["content"]);

        var edited = await world.PatchJsonAsync($"channels/{world.Channel.Id}/messages/{id}", new JsonObject { ["content"] = "edited" });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.NotNull((string?)(await EmulatorWorld.ReadJsonAsync(edited))["edited_timestamp"]);

        var stored = Assert.Single(world.Emulator.GetMessages(world.Channel.Id));
        Assert.Equal("edited", stored.Content);
        Assert.Equal(["hello <@" + world.Human.Id + ">", "edited"], stored.Revisions.Select(r => r.Content));
        Assert.Equal(1, stored.EditCount);

        var deleted = await world.Http.DeleteAsync($"channels/{world.Channel.Id}/messages/{id}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(await deleted.Content.ReadAsByteArrayAsync(Ct));
        Assert.Null(deleted.Content.Headers.ContentType);
        Assert.True(Assert.Single(world.Emulator.GetMessages(world.Channel.Id)).Deleted);

        var gone = await world.Http.GetAsync($"channels/{world.Channel.Id}/messages/{id}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(10008, (int)(await EmulatorWorld.ReadJsonAsync(gone))["code"]!);
    }

    [Fact]
    public async Task Validation_errors_use_discord_codes_and_shapes()
    {
        await using var world = await EmulatorWorld.StartAsync(o => o.MessageBucketLimit = 100);

        var tooLong = await world.SendMessageAsync(new string('x', 2001));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        var body = await EmulatorWorld.ReadJsonAsync(tooLong);
        Assert.Equal(50035, (int)body["code"]!);
        Assert.Equal("BASE_TYPE_MAX_LENGTH", (string?)body["errors"]!["content"]!["_errors"]![0]!["code"]);

        var maxLength = await world.SendMessageAsync(new string('x', 2000));
        Assert.Equal(HttpStatusCode.OK, maxLength.StatusCode);

        var empty = await world.PostJsonAsync($"channels/{world.Channel.Id}/messages", new JsonObject { ["content"] = "" });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(50006, (int)(await EmulatorWorld.ReadJsonAsync(empty))["code"]!);

        var unknownChannel = await world.SendMessageAsync("hi", channelId: 12345);
        Assert.Equal(HttpStatusCode.NotFound, unknownChannel.StatusCode);
        Assert.Equal(10003, (int)(await EmulatorWorld.ReadJsonAsync(unknownChannel))["code"]!);

        var unknownMessage = await world.PatchJsonAsync($"channels/{world.Channel.Id}/messages/999", new JsonObject { ["content"] = "x" });
        Assert.Equal(10008, (int)(await EmulatorWorld.ReadJsonAsync(unknownMessage))["code"]!);

        var elevenEmbeds = new JsonArray([.. Enumerable.Range(0, 11).Select(i => (JsonNode)new JsonObject { ["description"] = "d" })]);
        var tooManyEmbeds = await world.PostJsonAsync($"channels/{world.Channel.Id}/messages", new JsonObject { ["embeds"] = elevenEmbeds });
        Assert.Equal(50035, (int)(await EmulatorWorld.ReadJsonAsync(tooManyEmbeds))["code"]!);

        var bigTitle = new JsonArray(new JsonObject { ["title"] = new string('t', 257) });
        var titleError = await EmulatorWorld.ReadJsonAsync(await world.PostJsonAsync($"channels/{world.Channel.Id}/messages", new JsonObject { ["embeds"] = bigTitle }));
        Assert.True(titleError["errors"] is not null, titleError.ToJsonString());
        Assert.NotNull(titleError["errors"]!["embeds"]!["0"]!["title"]);

        var twoBig = new JsonArray(new JsonObject { ["description"] = new string('a', 4000) }, new JsonObject { ["description"] = new string('b', 2001) });
        var totalError = await EmulatorWorld.ReadJsonAsync(await world.PostJsonAsync($"channels/{world.Channel.Id}/messages", new JsonObject { ["embeds"] = twoBig }));
        Assert.Equal("MAX_EMBED_SIZE_EXCEEDED", (string?)totalError["errors"]!["embeds"]!["_errors"]![0]!["code"]);

        var embedOnly = await world.PostJsonAsync($"channels/{world.Channel.Id}/messages",
            new JsonObject { ["embeds"] = new JsonArray(new JsonObject { ["description"] = new string('a', 4096) }) });
        Assert.Equal(HttpStatusCode.OK, embedOnly.StatusCode);

        var badJson = await world.Http.PostAsync($"channels/{world.Channel.Id}/messages", new StringContent("{not json", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);
        Assert.Equal(50109, (int)(await EmulatorWorld.ReadJsonAsync(badJson))["code"]!);
    }

    [Fact]
    public async Task Missing_or_wrong_token_is_401_and_a_fixed_token_rejects_others()
    {
        await using var world = await EmulatorWorld.StartAsync(o => o.FixedBotToken = "fixed-token");
        using var anonymous = new HttpClient { BaseAddress = world.Host.RestBaseAddress };
        var missing = await anonymous.GetAsync("users/@me", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        var body = await EmulatorWorld.ReadJsonAsync(missing);
        Assert.Equal("401: Unauthorized", (string?)body["message"]);
        Assert.Equal(0, (int)body["code"]!);

        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bot", "someone-else");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("users/@me", Ct)).StatusCode);

        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bot", "fixed-token");
        var me = await EmulatorWorld.ReadJsonAsync(await anonymous.GetAsync("users/@me", Ct));
        Assert.True((bool)me["bot"]!);
    }

    [Fact]
    public async Task Any_well_formed_token_registers_a_bot_when_no_token_is_fixed()
    {
        await using var world = await EmulatorWorld.StartAsync();
        using var client = new HttpClient { BaseAddress = world.Host.RestBaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bot", "brand-new.token");
        var me = await EmulatorWorld.ReadJsonAsync(await client.GetAsync("users/@me", Ct));
        var id = ulong.Parse((string)me["id"]!);
        Assert.Contains(world.Emulator.GetBots(), b => b.User.Id == id && b.Token == "brand-new.token");

        var again = await EmulatorWorld.ReadJsonAsync(await client.GetAsync("users/@me", Ct));
        Assert.Equal(id, ulong.Parse((string)again["id"]!));
    }

    [Fact]
    public async Task Startup_routes_answer_like_discord()
    {
        await using var world = await EmulatorWorld.StartAsync(o =>
        {
            o.MaxConcurrency = 4;
            o.RecommendedShards = 2;
        });
        var gateway = await EmulatorWorld.ReadJsonAsync(await world.Http.GetAsync("gateway/bot", Ct));
        Assert.Equal(world.Host.GatewayAddress.ToString(), (string?)gateway["url"]);
        Assert.Equal(2, (int)gateway["shards"]!);
        Assert.Equal(4, (int)gateway["session_start_limit"]!["max_concurrency"]!);

        var app = await EmulatorWorld.ReadJsonAsync(await world.Http.GetAsync("oauth2/applications/@me", Ct));
        Assert.Equal(world.Bot.ApplicationId.ToString(), (string?)app["id"]);

        var channel = await EmulatorWorld.ReadJsonAsync(await world.Http.GetAsync($"channels/{world.Channel.Id}", Ct));
        Assert.Equal(0, (int)channel["type"]!);
        Assert.Equal(world.Guild.Id.ToString(), (string?)channel["guild_id"]);

        var pins = await EmulatorWorld.ReadJsonAsync(await world.Http.GetAsync($"channels/{world.Channel.Id}/messages/pins", Ct));
        Assert.Empty(pins["items"]!.AsArray());

        var unknownRoute = await world.Http.GetAsync("nothing/here", Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknownRoute.StatusCode);
    }

    [Fact]
    public async Task Typing_is_204_without_body_or_content_type()
    {
        await using var world = await EmulatorWorld.StartAsync();
        var response = await world.Http.PostAsync($"channels/{world.Channel.Id}/typing", null, Ct);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Null(response.Content.Headers.ContentType);
    }

    [Fact]
    public async Task History_honours_before_after_around_and_limit()
    {
        await using var world = await EmulatorWorld.StartAsync(o => o.MessageBucketLimit = 100);
        List<ulong> ids = [];
        for (var i = 0; i < 10; i++)
        {
            var m = await world.Emulator.PostMessageAsync(world.Channel.Id, world.Human.Id, "m" + i, cancellationToken: Ct);
            ids.Add(m.Id);
        }

        async Task<List<ulong>> Get(string query)
        {
            var array = (await EmulatorWorld.ReadJsonAsync(await world.Http.GetAsync($"channels/{world.Channel.Id}/messages?{query}", Ct))).AsArray();
            return [.. array.Select(n => ulong.Parse((string)n!["id"]!))];
        }

        Assert.Equal(ids.AsEnumerable().Reverse(), await Get("limit=50"));
        Assert.Equal([ids[4]], await Get($"before={ids[5]}&limit=1"));
        Assert.Equal([ids[8], ids[7], ids[6]], await Get($"after={ids[5]}&limit=3"));
        Assert.Equal([ids[6], ids[5], ids[4], ids[3]], await Get($"around={ids[5]}&limit=4"));
        var badLimit = await world.Http.GetAsync($"channels/{world.Channel.Id}/messages?limit=101", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
    }

    [Fact]
    public async Task Replies_carry_message_reference_and_referenced_message()
    {
        await using var world = await EmulatorWorld.StartAsync();
        var parent = await world.Emulator.PostMessageAsync(world.Channel.Id, world.Human.Id, "question", cancellationToken: Ct);
        var reply = await EmulatorWorld.ReadJsonAsync(await world.PostJsonAsync($"channels/{world.Channel.Id}/messages", new JsonObject
        {
            ["content"] = "answer",
            ["message_reference"] = new JsonObject { ["message_id"] = parent.Id },
            ["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray() },
        }));
        Assert.Equal(19, (int)reply["type"]!);
        Assert.Equal(parent.Id.ToString(), (string?)reply["message_reference"]!["message_id"]);
        Assert.Equal("question", (string?)reply["referenced_message"]!["content"]);
        var stored = world.Emulator.GetMessages(world.Channel.Id)[^1];
        Assert.Equal(parent.Id, stored.ReplyToMessageId);
        Assert.Equal("{\"parse\":[]}", stored.AllowedMentions);

        var missing = await world.PostJsonAsync($"channels/{world.Channel.Id}/messages", new JsonObject
        {
            ["content"] = "x",
            ["message_reference"] = new JsonObject { ["message_id"] = "42" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }

    [Fact]
    public async Task Multipart_upload_stores_and_serves_attachments()
    {
        await using var world = await EmulatorWorld.StartAsync();
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("""{"content":"file","attachments":[{"id":0,"filename":"notes.txt"}]}""", Encoding.UTF8, "application/json"), "payload_json");
        var file = new ByteArrayContent("hello file"u8.ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        form.Add(file, "files[0]", "ignored.txt");
        var response = await world.Http.PostAsync($"channels/{world.Channel.Id}/messages", form, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var attachment = (await EmulatorWorld.ReadJsonAsync(response))["attachments"]![0]!;
        Assert.Equal("notes.txt", (string?)attachment["filename"]);
        Assert.Equal(10, (int)attachment["size"]!);

        using var plain = new HttpClient();
        var download = await plain.GetStringAsync((string)attachment["url"]!, Ct);
        Assert.Equal("hello file", download);
    }

    [Fact]
    public async Task Threads_from_a_message_and_without_one()
    {
        await using var world = await EmulatorWorld.StartAsync();
        var starter = await world.Emulator.PostMessageAsync(world.Channel.Id, world.Human.Id, "start", cancellationToken: Ct);
        var fromMessage = await world.PostJsonAsync($"channels/{world.Channel.Id}/messages/{starter.Id}/threads", new JsonObject { ["name"] = "talk" });
        Assert.Equal(HttpStatusCode.Created, fromMessage.StatusCode);
        var thread = await EmulatorWorld.ReadJsonAsync(fromMessage);
        Assert.Equal(starter.Id.ToString(), (string?)thread["id"]);
        Assert.Equal(11, (int)thread["type"]!);
        Assert.Equal(world.Channel.Id.ToString(), (string?)thread["parent_id"]);

        var again = await world.PostJsonAsync($"channels/{world.Channel.Id}/messages/{starter.Id}/threads", new JsonObject { ["name"] = "talk" });
        Assert.Equal(160004, (int)(await EmulatorWorld.ReadJsonAsync(again))["code"]!);

        var standalone = await EmulatorWorld.ReadJsonAsync(await world.PostJsonAsync($"channels/{world.Channel.Id}/threads", new JsonObject { ["name"] = "free", ["type"] = 11 }));
        Assert.Equal(11, (int)standalone["type"]!);

        var inThread = await world.SendMessageAsync("in thread", ulong.Parse((string)standalone["id"]!));
        Assert.Equal(HttpStatusCode.OK, inThread.StatusCode);
    }

    [Fact]
    public async Task Direct_messages_are_visible_only_to_their_recipients()
    {
        await using var world = await EmulatorWorld.StartAsync();
        var dm = await EmulatorWorld.ReadJsonAsync(await world.PostJsonAsync("users/@me/channels", new JsonObject { ["recipient_id"] = world.Human.Id.ToString() }));
        Assert.Equal(1, (int)dm["type"]!);
        var dmId = ulong.Parse((string)dm["id"]!);
        Assert.Equal(dmId, world.Emulator.OpenDirectMessage(world.Human.Id, world.Bot.User.Id).Id);
        Assert.Equal(HttpStatusCode.OK, (await world.SendMessageAsync("hi", dmId)).StatusCode);

        var other = world.Emulator.CreateUser("bob");
        var foreign = world.Emulator.OpenDirectMessage(other.Id, world.Emulator.RegisterBot("Other").User.Id);
        var denied = await world.SendMessageAsync("peek", foreign.Id);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(1, world.Emulator.GetStats(world.Bot.User.Id).InvalidRequests);
    }

    [Fact]
    public async Task Message_history_per_channel_is_bounded()
    {
        await using var world = await EmulatorWorld.StartAsync();
        for (var i = 0; i < 10_050; i++)
        {
            await world.Emulator.PostMessageAsync(world.Channel.Id, world.Human.Id, "x", cancellationToken: Ct);
        }

        Assert.Equal(10_000, world.Emulator.GetMessages(world.Channel.Id).Count);
    }

    [Fact]
    public async Task Control_methods_reject_unknown_ids_with_clear_errors()
    {
        await using var world = await EmulatorWorld.StartAsync();
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => world.Emulator.PostMessageAsync(999, world.Human.Id, "x", cancellationToken: Ct));
        Assert.Contains("999", ex.Message);
        Assert.Throws<ArgumentException>(() => world.Emulator.CreateChannel(1, "x"));
        Assert.Throws<ArgumentException>(() => world.Emulator.RegisterBot("x", "bad token with spaces"));
        Assert.Same(world.Emulator.RegisterBot("Cordial", world.Bot.Token).Token, world.Bot.Token);
        Assert.Equal(EmulatedChannelKind.Text, world.Channel.Kind);
    }

    [Fact]
    public async Task Reactions_thread_joins_and_member_lists_are_accepted()
    {
        await using var world = await EmulatorWorld.StartAsync();
        var message = await world.Emulator.PostMessageAsync(world.Channel.Id, world.Human.Id, "react to me", cancellationToken: Ct);
        var react = await world.Http.PutAsync($"channels/{world.Channel.Id}/messages/{message.Id}/reactions/%F0%9F%91%8D/@me", null, Ct);
        Assert.Equal(HttpStatusCode.NoContent, react.StatusCode);
        var missing = await world.Http.PutAsync($"channels/{world.Channel.Id}/messages/1/reactions/%F0%9F%91%8D/@me", null, Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        var thread = world.Emulator.CreateThread(world.Channel.Id, "t", world.Human.Id);
        Assert.Equal(HttpStatusCode.NoContent, (await world.Http.PutAsync($"channels/{thread.Id}/thread-members/@me", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await world.Http.PutAsync($"channels/{world.Channel.Id}/thread-members/@me", null, Ct)).StatusCode);

        var members = (await EmulatorWorld.ReadJsonAsync(await world.Http.GetAsync($"guilds/{world.Guild.Id}/members?limit=1000", Ct))).AsArray();
        var ids = members.Select(m => ulong.Parse((string)m!["user"]!["id"]!)).ToList();
        Assert.Equal(new[] { world.Human.Id, world.Bot.User.Id }.Order(), ids);
    }
}
