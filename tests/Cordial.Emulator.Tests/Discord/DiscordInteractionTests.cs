using System.Net;
using System.Text.Json.Nodes;
using Cordial.Emulator.Discord;

namespace Cordial.Emulator.Tests.Discord;

public sealed class DiscordInteractionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonArray Commands() => new(
        new JsonObject
        {
            ["name"] = "ask",
            ["description"] = "Ask the model",
            ["options"] = new JsonArray(
                new JsonObject { ["name"] = "prompt", ["description"] = "what", ["type"] = 3, ["required"] = true },
                new JsonObject { ["name"] = "count", ["description"] = "how many", ["type"] = 4 }),
        },
        new JsonObject { ["name"] = "model", ["description"] = "Pick a model" });

    [Fact]
    public async Task Commands_are_registered_by_bulk_overwrite_keeping_ids_and_by_post()
    {
        await using var world = await EmulatorWorld.StartAsync();
        var put = await world.Http.PutAsync($"applications/{world.Bot.ApplicationId}/commands",
            new StringContent(Commands().ToJsonString(), System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var first = world.Emulator.GetCommands(world.Bot.ApplicationId);
        Assert.Equal(["ask", "model"], first.Select(c => c.Name));

        await world.Http.PutAsync($"applications/{world.Bot.ApplicationId}/commands",
            new StringContent(Commands().ToJsonString(), System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(first.Select(c => c.Id), world.Emulator.GetCommands(world.Bot.ApplicationId).Select(c => c.Id));

        var created = await world.PostJsonAsync($"applications/{world.Bot.ApplicationId}/guilds/{world.Guild.Id}/commands",
            new JsonObject { ["name"] = "forget", ["description"] = "Forget" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("forget", Assert.Single(world.Emulator.GetCommands(world.Bot.ApplicationId, world.Guild.Id)).Name);
        var listed = await EmulatorWorld.ReadJsonAsync(await world.Http.GetAsync($"applications/{world.Bot.ApplicationId}/guilds/{world.Guild.Id}/commands", Ct));
        Assert.Equal(world.Guild.Id.ToString(), (string?)listed[0]!["guild_id"]);

        var invalid = await world.PostJsonAsync($"applications/{world.Bot.ApplicationId}/commands", new JsonObject { ["name"] = "Bad Name", ["description"] = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var foreign = await world.Http.GetAsync("applications/1/commands", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
    }

    [Fact]
    public async Task Slash_command_round_trip_records_callback_edits_and_follow_ups()
    {
        await using var world = await EmulatorWorld.StartAsync(o => o.MessageBucketLimit = 50);
        await world.Http.PutAsync($"applications/{world.Bot.ApplicationId}/commands",
            new StringContent(Commands().ToJsonString(), System.Text.Encoding.UTF8, "application/json"), Ct);
        await using var client = await world.ConnectAsync();
        await client.IdentifyAsync(world.Bot.Token, EmulatorWorld.DefaultIntents);
        await client.WaitForDispatchAsync("GUILD_CREATE");

        var interaction = await world.Emulator.RunSlashCommandAsync(world.Channel.Id, world.Human.Id, "ask",
            new Dictionary<string, object?> { ["prompt"] = "why?", ["count"] = 2 }, Ct);
        var d = (await client.WaitForDispatchAsync("INTERACTION_CREATE"))["d"]!;
        Assert.Equal(interaction.Id.ToString(), (string?)d["id"]);
        Assert.Equal(2, (int)d["type"]!);
        Assert.Equal("ask", (string?)d["data"]!["name"]);
        Assert.Equal(interaction.CommandId.ToString(), (string?)d["data"]!["id"]);
        var options = d["data"]!["options"]!.AsArray();
        Assert.Equal("why?", (string?)options.Single(o => (string?)o!["name"] == "prompt")!["value"]);
        Assert.Equal(4, (int)options.Single(o => (string?)o!["name"] == "count")!["type"]!);
        Assert.Equal(2, (long)options.Single(o => (string?)o!["name"] == "count")!["value"]!);
        Assert.Equal(world.Human.Id.ToString(), (string?)d["member"]!["user"]!["id"]);
        Assert.NotNull((string?)d["member"]!["permissions"]);
        var token = (string)d["token"]!;

        var deferred = await world.PostJsonAsync($"interactions/{interaction.Id}/{token}/callback", new JsonObject { ["type"] = 5 });
        Assert.Equal(HttpStatusCode.NoContent, deferred.StatusCode);
        Assert.Equal(5, interaction.CallbackType);

        var again = await world.PostJsonAsync($"interactions/{interaction.Id}/{token}/callback", new JsonObject { ["type"] = 5 });
        Assert.Equal(40060, (int)(await EmulatorWorld.ReadJsonAsync(again))["code"]!);

        using var webhook = new HttpClient { BaseAddress = world.Host.RestBaseAddress };
        foreach (var text in (string[])["Because", "Because of reasons."])
        {
            var edit = await webhook.PatchAsync($"webhooks/{world.Bot.ApplicationId}/{token}/messages/@original",
                new StringContent(new JsonObject { ["content"] = text }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), Ct);
            Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        }

        var original = await EmulatorWorld.ReadJsonAsync(await webhook.GetAsync($"webhooks/{world.Bot.ApplicationId}/{token}/messages/@original", Ct));
        Assert.Equal("Because of reasons.", (string?)original["content"]);
        Assert.Equal(0, (int)original["flags"]! & 128);

        var followUp = await webhook.PostAsync($"webhooks/{world.Bot.ApplicationId}/{token}",
            new StringContent(new JsonObject { ["content"] = "more" }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, followUp.StatusCode);

        Assert.Equal(
            [EmulatedInteractionResponseKind.Callback, EmulatedInteractionResponseKind.EditOriginal, EmulatedInteractionResponseKind.EditOriginal, EmulatedInteractionResponseKind.FollowUp],
            interaction.Responses.Select(r => r.Kind));
        Assert.Equal(["Because", "Because of reasons."], interaction.OriginalEdits.Select(r => r.Content));
        Assert.Equal("more", Assert.Single(interaction.FollowUps).Content);
        var stored = world.Emulator.GetMessage(world.Channel.Id, interaction.OriginalMessageId!.Value)!;
        Assert.Equal("Because of reasons.", stored.Content);
        Assert.Equal(interaction.Id, stored.InteractionId);
    }

    [Fact]
    public async Task Callback_after_three_seconds_is_unknown_interaction()
    {
        var time = new ManualTimeProvider();
        await using var world = await EmulatorWorld.StartAsync(o => o.TimeProvider = time);
        var interaction = await world.Emulator.RunSlashCommandAsync(world.Channel.Id, world.Human.Id, "ask", cancellationToken: Ct);
        time.Advance(TimeSpan.FromSeconds(4));
        var late = await world.PostJsonAsync($"interactions/{interaction.Id}/{interaction.Token}/callback",
            new JsonObject { ["type"] = 4, ["data"] = new JsonObject { ["content"] = "late" } });
        Assert.Equal(HttpStatusCode.NotFound, late.StatusCode);
        Assert.Equal(10062, (int)(await EmulatorWorld.ReadJsonAsync(late))["code"]!);
        Assert.False(interaction.Acknowledged);

        var wrongToken = await world.PostJsonAsync($"interactions/{interaction.Id}/not-the-token/callback", new JsonObject { ["type"] = 5 });
        Assert.Equal(HttpStatusCode.NotFound, wrongToken.StatusCode);
    }

    [Fact]
    public async Task Immediate_message_callback_with_response_returns_the_message()
    {
        await using var world = await EmulatorWorld.StartAsync();
        var interaction = await world.Emulator.RunSlashCommandAsync(world.Channel.Id, world.Human.Id, "ask", cancellationToken: Ct);
        var response = await world.PostJsonAsync($"interactions/{interaction.Id}/{interaction.Token}/callback?with_response=true",
            new JsonObject { ["type"] = 4, ["data"] = new JsonObject { ["content"] = "hello", ["flags"] = 64 } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await EmulatorWorld.ReadJsonAsync(response);
        Assert.Equal("hello", (string?)body["resource"]!["message"]!["content"]);
        Assert.True((bool)body["interaction"]!["response_message_ephemeral"]!);
        await interaction.WaitForCallbackAsync(Ct);
        Assert.Equal("hello", interaction.CallbackContent);
    }

    [Fact]
    public async Task User_options_are_resolved()
    {
        await using var world = await EmulatorWorld.StartAsync();
        var command = new JsonArray(new JsonObject
        {
            ["name"] = "profile",
            ["description"] = "Show a profile",
            ["options"] = new JsonArray(new JsonObject { ["name"] = "who", ["description"] = "user", ["type"] = 6 }),
        });
        await world.Http.PutAsync($"applications/{world.Bot.ApplicationId}/commands",
            new StringContent(command.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), Ct);
        await using var client = await world.ConnectAsync();
        await client.IdentifyAsync(world.Bot.Token, EmulatorWorld.DefaultIntents);
        await world.Emulator.RunSlashCommandAsync(world.Channel.Id, world.Human.Id, "profile",
            new Dictionary<string, object?> { ["who"] = world.Human.Id }, Ct);
        var data = (await client.WaitForDispatchAsync("INTERACTION_CREATE"))["d"]!["data"]!;
        Assert.Equal(6, (int)data["options"]![0]!["type"]!);
        Assert.Equal(world.Human.Id.ToString(), (string?)data["options"]![0]!["value"]);
        Assert.Equal("alice", (string?)data["resolved"]!["users"]![world.Human.Id.ToString()]!["username"]);
        Assert.NotNull(data["resolved"]!["members"]![world.Human.Id.ToString()]);
    }
}
