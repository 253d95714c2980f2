using System.Globalization;
using System.Net;
using System.Text.Json;
using Cordial.Emulator.Discord;

namespace Cordial.Integration.Tests.Browser;

/// <summary>
/// The sandbox page in headless chromium against the Discord emulator alone: the test plays the bot with raw REST calls
/// and checks that the page shows every state live, sends as the sandbox user and never turns text into markup.
/// </summary>
public sealed class SandboxPageTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Shows_the_bots_typing_and_its_message_live_through_every_edit_and_the_delete()
    {
        await using var app = await EmulatorPageApp.StartAsync(Token);
        using var browser = HeadlessChromium.Start();
        var page = new SandboxPageDriver(browser);
        await page.OpenAsync(app.Address, "general");

        await app.BotSendAsync(HttpMethod.Post, $"channels/{app.General}/typing", null);
        await SandboxPageDriver.WaitAsync(() => page.TypingText, t => t == "Cordial is typing…", "the typing indicator");

        var created = await app.BotSendAsync(HttpMethod.Post, $"channels/{app.General}/messages", """{"content":"Thinking"}""");
        var id = MessageId(created);
        await SandboxPageDriver.WaitAsync(() => page.MessageText(id), t => t == "Thinking", "the new message");
        Assert.Equal("", page.TypingText);

        string[] states = ["Hello", "Hello, this answer", "Hello, this answer streams in place."];
        foreach (var state in states)
        {
            await app.BotSendAsync(HttpMethod.Patch, $"channels/{app.General}/messages/{id}", JsonSerializer.Serialize(new { content = state }));
            await SandboxPageDriver.WaitAsync(() => page.MessageText(id), t => t == state, $"the edit \"{state}\"");
            Assert.Equal(1, page.Script<long>("return document.querySelectorAll('.message').length;"));
        }

        Assert.Equal("(edited)", page.MessagePart(id, ".edited"));
        Assert.Equal("Cordial", page.MessagePart(id, ".author"));
        Assert.Equal("BOT", page.MessagePart(id, ".tag"));

        await app.BotSendAsync(HttpMethod.Delete, $"channels/{app.General}/messages/{id}", null);
        await SandboxPageDriver.WaitAsync(() => !page.ShowsMessage(id), "the deleted message to disappear");
    }

    [Fact]
    public async Task Sends_as_the_sandbox_user_with_the_mention_and_replies_to_a_clicked_message()
    {
        await using var app = await EmulatorPageApp.StartAsync(Token);
        using var browser = HeadlessChromium.Start();
        var page = new SandboxPageDriver(browser);
        await page.OpenAsync(app.Address, "general");

        page.Send("hello");
        var sent = await Eventually.UntilAsync(() => app.Emulator.GetMessages(app.General) is [var first, ..] ? first : null, m => m is not null, "the page's message", TimeSpan.FromSeconds(90));
        Assert.Equal(app.You.Id, sent!.AuthorId);
        Assert.Equal($"<@{app.Bot.User.Id}> hello", sent.Content);
        Assert.Contains(app.Bot.User.Id, sent.MentionUserIds);
        await SandboxPageDriver.WaitAsync(() => page.MessageText(sent.Id), t => t == "@Cordial hello", "the sent message shown with its mention");
        Assert.Equal("", page.Composer);

        var answer = MessageId(await app.BotSendAsync(HttpMethod.Post, $"channels/{app.General}/messages", """{"content":"Hi! Ask me anything."}"""));
        await SandboxPageDriver.WaitAsync(() => page.ShowsMessage(answer), "the bot's answer");
        page.ClickReply(answer);
        page.Send("thanks");
        var reply = await Eventually.UntilAsync(
            () => app.Emulator.GetMessages(app.General).FirstOrDefault(m => m.AuthorId == app.You.Id && m.Content.EndsWith("thanks", StringComparison.Ordinal)),
            m => m is not null, "the reply", TimeSpan.FromSeconds(90));
        Assert.Equal(answer, reply!.ReplyToMessageId);
        await SandboxPageDriver.WaitAsync(() => page.MessagePart(reply.Id, ".reference"), t => t == "@CordialHi! Ask me anything.", "the reply's reference");
    }

    [Fact]
    public async Task Renders_untrusted_text_code_blocks_and_embeds_as_text()
    {
        await using var app = await EmulatorPageApp.StartAsync(Token);
        using var browser = HeadlessChromium.Start();
        var page = new SandboxPageDriver(browser);
        await page.OpenAsync(app.Address, "general");

        const string Content = "<img src=x onerror=\"window.__pwned=1\"> **bold** and `inline`\n```csharp\nvar x = \"<script>window.__pwned=2</script>\";\n```";
        var body = JsonSerializer.Serialize(new
        {
            content = Content,
            embeds = new[]
            {
                new { title = "<i>Title</i>", description = "<b>not bold</b>", color = 0xFF0000, footer = new { text = "simulated • 3 tokens" } },
            },
        });
        var id = MessageId(await app.BotSendAsync(HttpMethod.Post, $"channels/{app.General}/messages", body));
        await SandboxPageDriver.WaitAsync(() => page.ShowsMessage(id), "the message");

        Assert.Equal("bold", page.MessagePart(id, ".content strong"));
        Assert.Equal("inline", page.MessagePart(id, ".content > code"));
        Assert.Equal("var x = \"<script>window.__pwned=2</script>\";", page.MessagePart(id, ".content pre code"));
        Assert.Equal("csharp", page.MessagePart(id, ".content pre .lang"));
        Assert.StartsWith("<img src=x onerror=\"window.__pwned=1\">", page.MessageText(id), StringComparison.Ordinal);
        Assert.Equal(0, page.Script<long>("return document.querySelectorAll('.message img, .message script, .message i, .message b').length;"));
        Assert.True(page.Script<bool>("return window.__pwned === undefined;"));
        Assert.Equal("<i>Title</i>", page.MessagePart(id, ".embed-title"));
        Assert.Equal("<b>not bold</b>", page.MessagePart(id, ".embed-description"));
        Assert.Equal("simulated • 3 tokens", page.MessagePart(id, ".embed-footer"));
        Assert.Equal("rgb(255, 0, 0)", page.Script<string>(
            "return getComputedStyle(document.querySelector('.message[data-id=\"' + arguments[0] + '\"] .embed .bar')).backgroundColor;", id.ToString(CultureInfo.InvariantCulture)));
        page.Screenshot("sandbox-rendering");
    }

    [Fact]
    public async Task Slash_menu_offers_the_commands_and_an_ephemeral_answer_is_shown_only_to_you()
    {
        await using var app = await EmulatorPageApp.StartAsync(Token);
        using var browser = HeadlessChromium.Start();
        var page = new SandboxPageDriver(browser);
        await page.OpenAsync(app.Address, "general");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var events = app.Emulator.SubscribeAsync(stop.Token);
        var interactionCreated = FirstAsync(events, EmulatorEventTypes.InteractionCreated);

        page.Type("/");
        await SandboxPageDriver.WaitAsync(() => page.CommandMenu, m => m == "chat,help,model,persona,reset,stats", "the slash-command menu");
        page.Screenshot("sandbox-slash-menu");
        page.Type("he");
        await SandboxPageDriver.WaitAsync(() => page.CommandMenu, m => m == "help", "the menu filtered to /help");
        page.PressEnter();
        await SandboxPageDriver.WaitAsync(() => page.Composer, c => c == "/help ", "the completed command");
        page.PressEnter();

        var created = await interactionCreated.WaitAsync(TimeSpan.FromSeconds(90), Token);
        var interaction = app.Emulator.GetInteraction(created!.InteractionId!.Value)!;
        Assert.Equal("help", interaction.CommandName);
        Assert.Equal(app.You.Id, interaction.UserId);
        await app.BotSendAsync(HttpMethod.Post, $"interactions/{interaction.Id}/{interaction.Token}/callback",
            JsonSerializer.Serialize(new { type = 4, data = new { content = "Mention me or use /chat.", flags = 64 } }));
        var messageId = interaction.OriginalMessageId!.Value;

        await SandboxPageDriver.WaitAsync(() => page.MessageText(messageId), t => t == "Mention me or use /chat.", "the ephemeral answer");
        Assert.StartsWith("Only you can see this", page.MessagePart(messageId, ".ephemeral-note"), StringComparison.Ordinal);
        await SandboxPageDriver.WaitAsync(() => page.MessagePart(messageId, ".command-use"), t => t == "@you used /help", "the command's use line");
        await stop.CancelAsync();
    }

    [Fact]
    public async Task Lists_threads_as_they_open_and_opens_a_direct_message_with_the_bot()
    {
        await using var app = await EmulatorPageApp.StartAsync(Token);
        using var browser = HeadlessChromium.Start();
        var page = new SandboxPageDriver(browser);
        await page.OpenAsync(app.Address, "general");

        var starter = MessageId(await app.BotSendAsync(HttpMethod.Post, $"channels/{app.General}/messages", """{"content":"Let us talk in a thread."}"""));
        await app.BotSendAsync(HttpMethod.Post, $"channels/{app.General}/messages/{starter}/threads", """{"name":"a thread"}""");
        await SandboxPageDriver.WaitAsync(
            () => page.Script<string>("return [...document.querySelectorAll('#channel-list .channel')].map(c => c.textContent).join(',');"),
            t => t == "# general,↳ a thread", "the thread under #general");
        await SandboxPageDriver.WaitAsync(() => page.MessagePart(starter, ".thread-link"), t => t == "↳ Thread: a thread ›", "the starter's thread link");

        var inThread = MessageId(await app.BotSendAsync(HttpMethod.Post, $"channels/{starter}/messages", """{"content":"Inside."}"""));
        await SandboxPageDriver.WaitAsync(() => page.Script<string>("return document.querySelector('#channel-list .thread .badge')?.textContent ?? '';"), t => t == "1", "an unread badge");
        page.Script<object>("document.querySelector('.message[data-id=\"' + arguments[0] + '\"] .thread-link').click(); return null;", starter.ToString(CultureInfo.InvariantCulture));
        await SandboxPageDriver.WaitAsync(() => page.MessageText(inThread), t => t == "Inside.", "the thread's message");
        Assert.Equal("↳ a thread", page.Script<string>("return document.getElementById('channel-title').textContent;"));

        page.Script<object>("document.getElementById('open-dm').click(); return null;");
        await SandboxPageDriver.WaitAsync(() => page.Script<string>("return document.getElementById('channel-title').textContent;"), t => t == "@Cordial", "the DM with the bot");
        Assert.False(page.Script<bool>("return document.getElementById('mention-toggle').checked;"), "no mention needed in a DM");
        page.Send("hi in private");
        var dm = app.Emulator.GetChannels().Single(c => c.Kind == EmulatedChannelKind.DirectMessage);
        await Eventually.UntilAsync(
            () => app.Emulator.GetMessages(dm.Id).Any(m => m.AuthorId == app.You.Id && m.Content == "hi in private"), "the DM message", TimeSpan.FromSeconds(90));
        await SandboxPageDriver.WaitAsync(
            () => page.Script<string>("return [...document.querySelectorAll('#dm-list .channel')].map(c => c.textContent).join(',');"),
            t => t == "@Cordial", "the DM in the sidebar");
    }

    [Fact]
    public async Task Serves_the_page_and_assets_with_their_types_revalidation_and_a_strict_policy()
    {
        await using var app = await EmulatorPageApp.StartAsync(Token);
        using var http = new HttpClient { BaseAddress = app.Address };

        foreach (var (path, type) in new[] { ("/", "text/html"), ("/sandbox/sandbox.css", "text/css"), ("/sandbox/sandbox.js", "text/javascript") })
        {
            using var response = await http.GetAsync(path, Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
            Assert.True(response.Headers.CacheControl?.NoCache, path + " must be revalidated");
            Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            var etag = response.Headers.ETag;
            Assert.NotNull(etag);

            using var again = new HttpRequestMessage(HttpMethod.Get, path);
            again.Headers.IfNoneMatch.Add(etag);
            using var revalidated = await http.SendAsync(again, Token);
            Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        }

        Assert.Contains("Sandbox — simulated model", await http.GetStringAsync("/", Token), StringComparison.Ordinal);
        using var info = JsonDocument.Parse(await http.GetStringAsync("/sandbox/info", Token));
        Assert.Equal(app.GuildId.ToString(CultureInfo.InvariantCulture), info.RootElement.GetProperty("guildId").GetString());
        Assert.Equal(app.You.Id.ToString(CultureInfo.InvariantCulture), info.RootElement.GetProperty("userId").GetString());
        Assert.Equal(app.Bot.User.Id.ToString(CultureInfo.InvariantCulture), info.RootElement.GetProperty("botUserId").GetString());
        Assert.Equal("Cordial", info.RootElement.GetProperty("botName").GetString());
    }

    private static ulong MessageId(string json)
    {
        using var document = JsonDocument.Parse(json);
        return ulong.Parse(document.RootElement.GetProperty("id").GetString()!, CultureInfo.InvariantCulture);
    }

    private static async Task<EmulatorEvent?> FirstAsync(IAsyncEnumerable<EmulatorEvent> events, string type)
    {
        await foreach (var item in events)
        {
            if (item.Type == type)
            {
                return item;
            }
        }

        return null;
    }
}
