using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cordial.Emulator.Discord;

namespace Cordial.Emulator.Tests.Discord;

/// <summary>APPLICATION_COMMAND_AUTOCOMPLETE interactions (type 4) and their results (callback type 8).</summary>
public sealed class DiscordAutocompleteTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task RegisterAsync(EmulatorWorld world)
    {
        var commands = new JsonArray(new JsonObject
        {
            ["name"] = "model",
            ["description"] = "Pick a model",
            ["options"] = new JsonArray(
                new JsonObject { ["name"] = "name", ["description"] = "model", ["type"] = 3, ["autocomplete"] = true },
                new JsonObject { ["name"] = "note", ["description"] = "why", ["type"] = 3 }),
        });
        var put = await world.Http.PutAsync($"applications/{world.Bot.ApplicationId}/commands",
            new StringContent(commands.ToJsonString(), Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
    }

    private static JsonObject Result(JsonArray choices) => new() { ["type"] = 8, ["data"] = new JsonObject { ["choices"] = choices } };

    private static JsonObject Choice(string name, JsonNode? value) => new() { ["name"] = name, ["value"] = value };

    [Fact]
    public async Task A_typed_option_is_dispatched_as_type_4_with_the_partial_value_focused_and_the_choices_are_recorded()
    {
        await using var world = await EmulatorWorld.StartAsync();
        await RegisterAsync(world);
        await using var client = await world.ConnectAsync();
        await client.IdentifyAsync(world.Bot.Token, EmulatorWorld.DefaultIntents);
        await client.WaitForDispatchAsync("GUILD_CREATE");

        var interaction = await world.Emulator.RunAutocompleteAsync(world.Channel.Id, world.Human.Id, "model", "name", "sim",
            new Dictionary<string, object?> { ["note"] = "faster" }, Ct);
        Assert.Equal(4, interaction.Type);
        Assert.Equal("name", interaction.FocusedOption);
        Assert.Null(interaction.AutocompleteChoices);

        var d = (await client.WaitForDispatchAsync("INTERACTION_CREATE"))["d"]!;
        Assert.Equal(4, (int)d["type"]!);
        var options = d["data"]!["options"]!.AsArray();
        var focused = options.Single(o => (string?)o!["name"] == "name")!;
        Assert.Equal("sim", (string?)focused["value"]);
        Assert.True((bool)focused["focused"]!);
        var other = options.Single(o => (string?)o!["name"] == "note")!;
        Assert.Equal("faster", (string?)other["value"]);
        Assert.Null(other["focused"]);

        var answered = await world.PostJsonAsync($"interactions/{interaction.Id}/{(string)d["token"]!}/callback",
            Result([Choice("simulated", "simulated"), Choice("simulated large", "simulated-large"), Choice("three", 3)]));
        Assert.Equal(HttpStatusCode.NoContent, answered.StatusCode);
        await interaction.WaitForCallbackAsync(Ct);
        Assert.Equal(8, interaction.CallbackType);
        Assert.Equal(
            [new EmulatedAutocompleteChoice("simulated", "simulated"), new EmulatedAutocompleteChoice("simulated large", "simulated-large"), new EmulatedAutocompleteChoice("three", "3")],
            interaction.AutocompleteChoices);
        Assert.Null(interaction.OriginalMessageId); // suggestions are not a message
        Assert.Empty(world.Emulator.GetMessages(world.Channel.Id));

        // an autocomplete interaction has no webhook: no follow-ups, no original response
        var followUp = await world.PostJsonAsync($"webhooks/{world.Bot.ApplicationId}/{interaction.Token}", new JsonObject { ["content"] = "x" });
        Assert.Equal(HttpStatusCode.NotFound, followUp.StatusCode);
    }

    [Fact]
    public async Task An_empty_result_means_no_suggestions()
    {
        await using var world = await EmulatorWorld.StartAsync();
        await RegisterAsync(world);
        var interaction = await world.Emulator.RunAutocompleteAsync(world.Channel.Id, world.Human.Id, "model", "name", "", cancellationToken: Ct);
        var answered = await world.PostJsonAsync($"interactions/{interaction.Id}/{interaction.Token}/callback", Result([]));
        Assert.Equal(HttpStatusCode.NoContent, answered.StatusCode);
        Assert.Empty(interaction.AutocompleteChoices!);
    }

    public static TheoryData<string, string, string> InvalidResults => new()
    {
        { "too many", """{"type":8,"data":{"choices":[CHOICES26]}}""", "choices._errors" },
        { "no choices", """{"type":8,"data":{}}""", "choices._errors" },
        { "empty name", """{"type":8,"data":{"choices":[{"name":"","value":"a"}]}}""", "choices.0.name._errors" },
        { "long name", """{"type":8,"data":{"choices":[{"name":"ok","value":"a"},{"name":"NAME101","value":"a"}]}}""", "choices.1.name._errors" },
        { "long value", """{"type":8,"data":{"choices":[{"name":"ok","value":"VALUE101"}]}}""", "choices.0.value._errors" },
        { "missing value", """{"type":8,"data":{"choices":[{"name":"ok"}]}}""", "choices.0.value._errors" },
        { "message callback", """{"type":4,"data":{"content":"not a suggestion"}}""", "type._errors" },
    };

    [Theory]
    [MemberData(nameof(InvalidResults))]
    public async Task Invalid_results_are_refused_like_discord_and_the_interaction_stays_unanswered(string what, string body, string errorPath)
    {
        await using var world = await EmulatorWorld.StartAsync();
        await RegisterAsync(world);
        var interaction = await world.Emulator.RunAutocompleteAsync(world.Channel.Id, world.Human.Id, "model", "name", "s", cancellationToken: Ct);
        var choices26 = string.Join(",", Enumerable.Range(0, 26).Select(i => $$"""{"name":"m{{i}}","value":"m{{i}}"}"""));
        var json = body.Replace("CHOICES26", choices26, StringComparison.Ordinal)
            .Replace("NAME101", new string('n', 101), StringComparison.Ordinal)
            .Replace("VALUE101", new string('v', 101), StringComparison.Ordinal);

        var response = await world.Http.PostAsync($"interactions/{interaction.Id}/{interaction.Token}/callback",
            new StringContent(json, Encoding.UTF8, "application/json"), Ct);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, what);
        var error = await EmulatorWorld.ReadJsonAsync(response);
        Assert.Equal(50035, (int)error["code"]!);
        JsonNode? node = error["errors"];
        if (!errorPath.StartsWith("type", StringComparison.Ordinal))
        {
            node = node!["data"];
        }

        foreach (var part in errorPath.Split('.'))
        {
            node = node?[part];
        }

        Assert.True(node is JsonArray { Count: > 0 }, $"{what}: expected errors at {errorPath} in {error.ToJsonString()}");
        Assert.False(interaction.Acknowledged, what);

        // a valid result is still accepted afterwards
        var valid = await world.PostJsonAsync($"interactions/{interaction.Id}/{interaction.Token}/callback", Result([Choice("simulated", "simulated")]));
        Assert.Equal(HttpStatusCode.NoContent, valid.StatusCode);
    }

    [Fact]
    public async Task A_slash_command_cannot_be_answered_with_an_autocomplete_result()
    {
        await using var world = await EmulatorWorld.StartAsync();
        await RegisterAsync(world);
        var interaction = await world.Emulator.RunSlashCommandAsync(world.Channel.Id, world.Human.Id, "model", cancellationToken: Ct);
        var response = await world.PostJsonAsync($"interactions/{interaction.Id}/{interaction.Token}/callback", Result([Choice("a", "a")]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(2, interaction.Type);
        Assert.False(interaction.Acknowledged);
    }

    [Fact]
    public async Task Only_options_declared_with_autocomplete_can_be_autocompleted()
    {
        await using var world = await EmulatorWorld.StartAsync();
        await RegisterAsync(world);
        await Assert.ThrowsAsync<ArgumentException>(() =>
            world.Emulator.RunAutocompleteAsync(world.Channel.Id, world.Human.Id, "model", "note", "f", cancellationToken: Ct));
    }

    [Fact]
    public async Task Autocomplete_over_the_http_control_api()
    {
        await using var world = await EmulatorWorld.StartAsync();
        await RegisterAsync(world);
        using var control = new HttpClient { BaseAddress = new Uri(world.Host.BaseAddress, "_emulator/discord/") };
        var created = await control.PostAsync("interactions", new StringContent(new JsonObject
        {
            ["channelId"] = world.Channel.Id.ToString(),
            ["userId"] = world.Human.Id.ToString(),
            ["commandName"] = "model",
            ["options"] = new JsonObject { ["name"] = "sim" },
            ["focused"] = "name",
        }.ToJsonString(), Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var interaction = JsonNode.Parse(await created.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal(4, (int)interaction["type"]!);
        var id = (string)interaction["id"]!;
        var token = world.Emulator.GetInteraction(ulong.Parse(id, System.Globalization.CultureInfo.InvariantCulture))!.Token;
        Assert.Contains("\"focused\":true", world.Emulator.GetInteraction(ulong.Parse(id, System.Globalization.CultureInfo.InvariantCulture))!.OptionsJson, StringComparison.Ordinal);

        await world.PostJsonAsync($"interactions/{id}/{token}/callback", Result([Choice("simulated", "simulated")]));

        var read = JsonNode.Parse(await control.GetStringAsync($"interactions/{id}", Ct))!;
        var choice = read["autocompleteChoices"]!.AsArray().Single()!;
        Assert.Equal("simulated", (string?)choice["name"]);
        Assert.Equal("simulated", (string?)choice["value"]);
        Assert.Equal(8, (int)read["callbackType"]!);
    }
}
