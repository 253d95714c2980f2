using System.Net;
using Cordial.Hosting;

namespace Cordial.Integration.Tests;

/// <summary>The running host: health endpoints, hot reload of rules, graceful stop.</summary>
public sealed class HostTests
{
    /// <summary>Replaces a settings file the way editors save: write aside, then rename over it.</summary>
    private static async Task ReplaceAsync(string file, string text)
    {
        var aside = file + ".tmp";
        await File.WriteAllTextAsync(aside, text, BotWorld.Token);
        File.Move(aside, file, overwrite: true);
    }

    [Fact]
    public async Task Health_reports_the_shards_and_the_store_and_alive_answers()
    {
        await using var world = await BotWorld.CreateAsync();
        var bot = await world.StartBotAsync();
        using var http = new HttpClient { BaseAddress = bot.Address };

        var alive = await http.GetAsync("/alive", BotWorld.Token);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        var health = await Eventually.UntilAsync(() => http.GetAsync("/health", BotWorld.Token).Result, r => r.StatusCode == HttpStatusCode.OK, "healthy");
        var body = await health.Content.ReadAsStringAsync(BotWorld.Token);
        Assert.Contains("\"status\": \"healthy\"", body, StringComparison.Ordinal);
        Assert.Contains("\"store\": true", body, StringComparison.Ordinal);
        Assert.Contains("\"state\": \"Ready\"", body, StringComparison.Ordinal);

        // When Discord drops the connection the shard resumes, and /health shows the reconnect.
        world.Discord.Faults.CloseConnections(4000);
        await Eventually.UntilAsync(
            () => bot.Runtime.Gateway.GetShardStatuses().Single(),
            s => s.Reconnects >= 1 && s.State == Cordial.Discord.Gateway.GatewayConnectionState.Ready,
            "the shard to reconnect");
        var after = await Eventually.UntilAsync(() => http.GetAsync("/health", BotWorld.Token).Result, r => r.StatusCode == HttpStatusCode.OK, "healthy again");
        Assert.Contains("\"reconnects\": 1", await after.Content.ReadAsStringAsync(BotWorld.Token), StringComparison.Ordinal);

        // And the bot still answers.
        world.Llm.Script("after the reconnect", "Still here.");
        await world.SayAsync(world.General, world.Alice, $"{world.Mention} after the reconnect");
        await world.WaitForAnswerAsync(world.General.Id, "Still here.");
    }

    [Fact]
    public async Task The_diagnostics_server_answers_unknown_paths_and_methods_plainly_and_many_callers_at_once()
    {
        await using var world = await BotWorld.CreateAsync();
        var bot = await world.StartBotAsync();
        using var http = new HttpClient { BaseAddress = bot.Address };

        using var unknown = await http.GetAsync("/metrics", BotWorld.Token);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var wrongMethod = await http.PostAsync("/health", content: null, BotWorld.Token);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal("GET", wrongMethod.Content.Headers.Allow.Single());
        using var resetByGet = await http.GetAsync("/stats/reset", BotWorld.Token);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, resetByGet.StatusCode);

        // On loopback it answers by name too (a Host header of "localhost", as curl http://localhost:PORT/ sends).
        using var byName = new HttpClient();
        using var alive = await byName.GetAsync(new Uri($"http://localhost:{bot.Address.Port}/alive"), BotWorld.Token);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);

        // Many callers at once (an orchestrator's probes and a scraper) are all answered.
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => http.GetAsync("/stats", BotWorld.Token)));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
    }

    [Fact]
    public async Task Editing_cordial_json_changes_the_trigger_rules_without_a_restart()
    {
        await using var world = await BotWorld.CreateAsync();
        var kitchen = world.Discord.CreateChannel(world.Guild.Id, "kitchen");
        var file = Path.Combine(world.DataDirectory, "cordial.json");
        await File.WriteAllTextAsync(file, """{ "Bot": { "Prompt": { "SystemPrompt": "first prompt" } } }""", BotWorld.Token);
        var configuration = new ConfigurationBuilder()
            .AddConfiguration(world.BuildConfiguration())
            .AddJsonFile(file, optional: false, reloadOnChange: true)
            .Build();
        await using var bot = await RunningBot.StartAsync(configuration, world.DataDirectory, BotWorld.Token);
        var reloader = bot.Services.GetRequiredService<SettingsReloader>();
        var applied = reloader.Applied;
        world.Llm.Script("banana", "Bananas are berries.");

        await ReplaceAsync(file, $$"""
            { "Bot": { "Prompt": { "SystemPrompt": "second prompt" },
                       "Triggers": { "Channels": { "{{BotWorld.Id(kitchen.Id)}}": { "Mode": "Keyword", "Keywords": [ "banana" ] } } } } }
            """);
        await Eventually.UntilAsync(() => reloader.Applied > applied, "the configuration reload", TimeSpan.FromSeconds(30));

        await world.SayAsync(kitchen, world.Alice, "is a banana a berry");
        await world.WaitForAnswerAsync(kitchen.Id, "Bananas are berries.");
        var body = world.RequestContaining("is a banana")!.RawBody;
        Assert.Contains("second prompt", body, StringComparison.Ordinal);
        Assert.DoesNotContain("first prompt", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_edit_is_ignored_and_the_previous_rules_stay()
    {
        await using var world = await BotWorld.CreateAsync();
        var file = Path.Combine(world.DataDirectory, "cordial.json");
        await File.WriteAllTextAsync(file, """{ "Bot": { "Prompt": { "SystemPrompt": "kept prompt" } } }""", BotWorld.Token);
        var configuration = new ConfigurationBuilder()
            .AddConfiguration(world.BuildConfiguration())
            .AddJsonFile(file, optional: false, reloadOnChange: true)
            .Build();
        await using var bot = await RunningBot.StartAsync(configuration, world.DataDirectory, BotWorld.Token);
        var reloader = bot.Services.GetRequiredService<SettingsReloader>();
        var applied = reloader.Applied;

        // A keyword channel without keywords is invalid; the prompt edit in the same save must not half-apply either.
        await ReplaceAsync(file, """{ "Bot": { "Prompt": { "SystemPrompt": "new prompt" }, "Triggers": { "Channels": { "1": { "Mode": "Keyword" } } } } }""");
        configuration.Reload();
        await Eventually.UntilAsync(() => reloader.Rejected > 0, "the invalid edit to be refused");
        world.Llm.Script("still fine", "Yes, still fine.");
        await world.SayAsync(world.General, world.Alice, $"{world.Mention} still fine?");
        await world.WaitForAnswerAsync(world.General.Id, "Yes, still fine.");

        Assert.Equal(applied, reloader.Applied);
        Assert.Contains("kept prompt", world.RequestContaining("still fine")!.RawBody, StringComparison.Ordinal);
        Assert.DoesNotContain("new prompt", world.RequestContaining("still fine")!.RawBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_message_leaves_the_store()
    {
        await using var world = await BotWorld.CreateAsync();
        var bot = await world.StartBotAsync();
        world.Llm.Script("soon deleted", "Answer to a deleted question.");
        var question = await world.SayAsync(world.General, world.Alice, $"{world.Mention} soon deleted");
        var answer = await world.WaitForAnswerAsync(world.General.Id, "Answer to a deleted question.");
        var store = bot.Services.GetRequiredService<Cordial.Bot.Conversations.IMessageNodeStore>();
        Assert.NotNull(await store.GetAsync(question.Id, BotWorld.Token));
        await Eventually.UntilAsync(() => store.GetAsync(answer.Id, BotWorld.Token).AsTask().Result is not null, "the answer to be stored");

        // MESSAGE_DELETE as the gateway delivers it.
        var dispatcher = bot.Services.GetRequiredService<GatewayEventDispatcher>();
        await dispatcher.HandleAsync(
            new Cordial.Discord.Gateway.MessageDeleteEvent(0, new Cordial.Discord.Models.JsonMessageDelete { Id = question.Id, ChannelId = world.General.Id, GuildId = world.Guild.Id }),
            BotWorld.Token);

        Assert.Null(await store.GetAsync(question.Id, BotWorld.Token));
        Assert.NotNull(await store.GetAsync(answer.Id, BotWorld.Token));
    }

    [Fact]
    public async Task Logs_at_information_and_above_contain_no_message_content_and_no_token()
    {
        await using var world = await BotWorld.CreateAsync();
        // An owner who turns logging up to Information everywhere (no per-category caps) must still leak nothing.
        world.Set("Logging:LogLevel:Default", "Information");
        using var logs = new CapturedLogs();
        await world.StartBotAsync(logs);
        world.Llm.Script("zebra-secret-question", "zebra-secret-answer");

        await world.SayAsync(world.General, world.Alice, $"{world.Mention} zebra-secret-question");
        await world.WaitForAnswerAsync(world.General.Id, "zebra-secret-answer");
        var help = await world.Discord.RunSlashCommandAsync(world.General.Id, world.Alice.Id, "help", cancellationToken: BotWorld.Token);
        await help.WaitForCallbackAsync(BotWorld.Token).WaitAsync(TimeSpan.FromSeconds(60), BotWorld.Token); // its callback path carries the token
        await world.StopBotAsync();

        var visible = logs.Entries.Where(e => e.Level >= LogLevel.Information).ToList();
        Assert.NotEmpty(visible); // the bot does log its life cycle
        Assert.DoesNotContain(visible, e => e.Text.Contains("zebra-secret", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, e => e.Text.Contains(world.Bot.Token, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Information && e.Text.Contains("/interactions/", StringComparison.Ordinal));
    }
}
