using Cordial.Emulator.Discord;
using Cordial.Sandbox;

namespace Cordial.Integration.Tests;

/// <summary>The sandbox: one port, the emulator, the simulated model and the bot connected over loopback.</summary>
public sealed class SandboxHostTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static SandboxHostOptions Options(string data) => new() { Port = 0, DataDirectory = data };

    [Fact]
    public async Task Seeds_the_world_registers_the_commands_and_answers_a_mention_on_one_port()
    {
        using var data = new TempDirectory();
        await using var sandbox = await SandboxHost.StartAsync(Options(data.Path), Token);

        Assert.Equal("127.0.0.1", sandbox.PageAddress.Host);
        Assert.NotEqual(0, sandbox.PageAddress.Port);
        Assert.NotNull(sandbox.Llm);
        Assert.True(sandbox.World.SimulatedModel);
        Assert.Equal(["ask-anything", "general", "sandbox-thread", "threads"], sandbox.Channels.Keys.Order(StringComparer.Ordinal));
        var guild = Assert.Single(sandbox.Discord.GetGuilds());
        Assert.Equal("Cordial Sandbox", guild.Name);
        Assert.Equal(sandbox.GuildId, guild.Id);
        Assert.Contains(sandbox.Discord.GetUsers(), u => u.Id == sandbox.UserId && u.Username == "you");
        var thread = sandbox.Discord.GetChannels().Single(c => c.Id == sandbox.Channels["sandbox-thread"]);
        Assert.True(thread.IsThread);
        Assert.Equal(sandbox.Channels["general"], thread.ParentId);

        // Commands are registered in the sandbox guild (Discord:DevelopmentGuildId).
        var bot = sandbox.Discord.GetBots().Single();
        Assert.Equal(["chat", "help", "model", "persona", "reset", "stats"], sandbox.Discord.GetCommands(bot.ApplicationId, sandbox.GuildId).Select(c => c.Name).Order(StringComparer.Ordinal));

        // Everything on the one port: the page, /health, the REST API and the simulated model.
        using var http = new HttpClient { BaseAddress = sandbox.PageAddress };
        Assert.True((await http.GetAsync("/", Token)).IsSuccessStatusCode);
        var health = await Eventually.UntilAsync(() => http.GetAsync("/health", Token).Result, r => r.IsSuccessStatusCode, "/health to report healthy");
        Assert.Contains("\"Ready\"", await health.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);

        sandbox.Llm!.Script("hello sandbox", "Hi from the simulated model!");
        var general = sandbox.Channels["general"];
        var question = await sandbox.Discord.PostMessageAsync(general, sandbox.UserId, $"<@{sandbox.BotUserId}> hello sandbox", cancellationToken: Token);
        var answer = await Eventually.UntilAsync(
            () => sandbox.Discord.GetMessages(general).FirstOrDefault(m => m.AuthorId == sandbox.BotUserId && m.Content == "Hi from the simulated model!"),
            m => m is not null,
            "the bot's answer");
        Assert.Equal(question.Id, answer!.ReplyToMessageId);
        Assert.Equal("sim-small", Assert.Single(sandbox.Llm.Requests).Model);
    }

    [Fact]
    public async Task Files_uploaded_over_http_reach_the_bot_as_real_attachments_text_inlined_and_images_for_the_vision_model()
    {
        using var data = new TempDirectory();
        await using var sandbox = await SandboxHost.StartAsync(Options(data.Path), Token);
        using var http = new HttpClient { BaseAddress = sandbox.PageAddress };
        var info = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync("/sandbox/info", Token))!;
        Assert.Equal(sandbox.Discord.UserUploadLimit, (long)info["uploadLimitBytes"]!);

        // "you" (an admin in the sandbox) picks the vision model for #ask-anything, where every message is answered.
        var channel = sandbox.Channels["ask-anything"];
        var model = await sandbox.Discord.RunSlashCommandAsync(channel, sandbox.UserId, "model", new Dictionary<string, object?> { ["name"] = "simulated-vision" }, Token);
        await model.WaitForCallbackAsync(Token).WaitAsync(TimeSpan.FromSeconds(60), Token);

        byte[] png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
        using var form = new MultipartFormDataContent
        {
            { new StringContent($$"""{"authorId":"{{sandbox.UserId}}","content":"describe both"}""", System.Text.Encoding.UTF8, "application/json"), "payload_json" },
            { new ByteArrayContent("recipe: flour, water, salt"u8.ToArray()), "files[0]", "recipe.txt" },
            { new ByteArrayContent(png), "files[1]", "pixel.png" },
        };
        var posted = await http.PostAsync($"/_emulator/discord/channels/{channel}/messages", form, Token);
        Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync(Token));

        var request = await Eventually.UntilAsync(
            () => sandbox.Llm!.Requests.LastOrDefault(r => r.LastUserText.Contains("describe both", StringComparison.Ordinal)),
            r => r is not null, "the model request", TimeSpan.FromSeconds(60));
        Assert.Equal("sim-vision", request!.Model);
        Assert.Contains("Attached file recipe.txt:\nrecipe: flour, water, salt", request.LastUserText, StringComparison.Ordinal);
        Assert.Equal(1, request.ImageCount);
    }

    [Fact]
    public async Task Ask_anything_answers_every_message_and_threads_opens_a_thread()
    {
        using var data = new TempDirectory();
        await using var sandbox = await SandboxHost.StartAsync(Options(data.Path), Token);
        sandbox.Llm!.Script("no mention here", "Answered without a mention.");
        sandbox.Llm.Script("start a thread", "Answered in a thread.");

        var ask = sandbox.Channels["ask-anything"];
        await sandbox.Discord.PostMessageAsync(ask, sandbox.UserId, "no mention here", cancellationToken: Token);
        await Eventually.UntilAsync(
            () => sandbox.Discord.GetMessages(ask).Any(m => m.AuthorId == sandbox.BotUserId && m.Content == "Answered without a mention."),
            "an answer in #ask-anything");

        var threads = sandbox.Channels["threads"];
        var starter = await sandbox.Discord.PostMessageAsync(threads, sandbox.UserId, $"<@{sandbox.BotUserId}> start a thread", cancellationToken: Token);
        var thread = await Eventually.UntilAsync(
            () => sandbox.Discord.GetChannels().FirstOrDefault(c => c.IsThread && c.ParentId == threads),
            c => c is not null,
            "a thread opened by the bot");
        Assert.Equal(sandbox.BotUserId, thread!.OwnerId);
        await Eventually.UntilAsync(
            () => sandbox.Discord.GetMessages(thread.Id).Any(m => m.AuthorId == sandbox.BotUserId && m.Content == "Answered in a thread."),
            "the answer inside the thread");
        Assert.DoesNotContain(sandbox.Discord.GetMessages(threads), m => m.AuthorId == sandbox.BotUserId && m.Content == "Answered in a thread.");
        Assert.NotEqual(0UL, starter.Id);
    }

    [Fact]
    public async Task An_invalid_configuration_is_refused_with_every_problem_named()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bot:Conversations:MaxMessages"] = "0",
            ["Delivery:MaxReplyLength"] = "5",
        }).Build();
        using var data = new TempDirectory();
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            SandboxHost.StartAsync(new SandboxHostOptions { Port = 0, DataDirectory = data.Path, Configuration = configuration }, Token));
        Assert.Contains("Bot:Conversations:MaxMessages", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaxReplyLength", ex.Message, StringComparison.Ordinal);
    }
}
