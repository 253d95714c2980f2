using Cordial.Emulator.Llm;
using Cordial.Sandbox;

namespace Cordial.Integration.Tests.Browser;

/// <summary>
/// The sandbox as a newcomer meets it: the real bot, the simulated model and the page in headless chromium. One sandbox
/// serves both checks (starting the bot is the slow part on a 2-core machine).
/// </summary>
public sealed class SandboxHostPageTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Hello_streams_the_simulated_models_answer_and_help_answers_only_you()
    {
        using var data = new TempDirectory("cordial-sandbox-page-"); // deleted after the sandbox below is disposed
        var options = new SandboxHostOptions { Port = 0, DataDirectory = data.Path };
        await using var sandbox = await SandboxHost.StartAsync(options, Token);
        using var browser = HeadlessChromium.Start();
        var page = new SandboxPageDriver(browser);
        await page.OpenAsync(sandbox.PageAddress, "general");
        Assert.Equal("Sandbox — simulated model", page.Script<string>("return document.getElementById('sandbox-title').textContent;"));
        Assert.True(page.Script<bool>("return document.getElementById('mention-toggle').checked;"), "the mention toggle starts on in #general");

        // "hello" with the mention: the simulated model's echo streams in (slowed down so it takes several edits).
        sandbox.Llm!.SetBehavior("sim-small", new LlmBehavior { TokensPerSecond = 8, TimeToFirstToken = TimeSpan.FromMilliseconds(200) });
        page.RecordTextsOfBotMessages();
        page.Send("hello");

        var general = sandbox.Channels["general"];
        var question = await Eventually.UntilAsync(
            () => sandbox.Discord.GetMessages(general).FirstOrDefault(m => m.AuthorId == sandbox.UserId),
            m => m is not null, "the page's message", TimeSpan.FromSeconds(90));
        Assert.Equal($"<@{sandbox.BotUserId}> hello", question!.Content);
        var answer = await Eventually.UntilAsync(
            () => sandbox.Discord.GetMessages(general).FirstOrDefault(m => m.AuthorId == sandbox.BotUserId && m.ReplyToMessageId == question.Id),
            m => m is not null, "the bot's answer", TimeSpan.FromSeconds(90));
        var request = await Eventually.UntilAsync(() => sandbox.Llm.Requests, r => r.Count > 0, "the model request", TimeSpan.FromSeconds(90));
        var final = LlmEmulator.EchoPrefix + request[0].LastUserText;
        Assert.EndsWith("hello", final, StringComparison.Ordinal);

        await SandboxPageDriver.WaitAsync(() => page.MessageText(answer!.Id), t => t == final, "the page to show the final answer");
        Assert.Equal(final, sandbox.Discord.GetMessage(general, answer!.Id)!.Content);
        Assert.Equal("@you@Cordial hello", page.MessagePart(answer.Id, ".reference"));

        // Every text the page showed for the answer was one of the bot's revisions, in order, ending with the final one.
        var revisions = sandbox.Discord.GetMessage(general, answer.Id)!.Revisions.Select(r => r.Content).ToList();
        var shown = page.RecordedTexts(answer.Id).Where(t => t.Length > 0).ToList();
        Assert.Equal(final, shown[^1]);
        var next = 0;
        foreach (var text in shown)
        {
            next = revisions.IndexOf(text, next);
            Assert.True(next >= 0, $"the page showed \"{text}\", which is not a later revision of the answer ({string.Join(" | ", revisions)})");
        }

        TestContext.Current.SendDiagnosticMessage($"The page showed {shown.Count} states of an answer with {revisions.Count} revisions.");
        page.Screenshot("sandbox-general");

        // /help from the slash-command menu: an ephemeral answer, marked as shown only to you.
        page.Type("/help");
        await SandboxPageDriver.WaitAsync(() => page.CommandMenu, m => m == "help", "/help in the menu");
        page.PressEnter();
        var help = await Eventually.UntilAsync(
            () => sandbox.Discord.GetMessages(general).FirstOrDefault(m => m.AuthorId == sandbox.BotUserId && m.InteractionId is not null && m.Content.Length > 0),
            m => m is not null, "the /help answer", TimeSpan.FromSeconds(90));
        Assert.Equal(64, help!.Flags & 64);

        var rendered = help.Content.Replace("**", "", StringComparison.Ordinal).Replace("`", "", StringComparison.Ordinal);
        await SandboxPageDriver.WaitAsync(() => page.MessageText(help.Id), t => t == rendered, "the page to show the /help answer");
        Assert.StartsWith("Only you can see this", page.MessagePart(help.Id, ".ephemeral-note"), StringComparison.Ordinal);
        await SandboxPageDriver.WaitAsync(() => page.MessagePart(help.Id, ".command-use"), t => t == "@you used /help", "the command's use line");
        page.Screenshot("sandbox-help");
    }

    [Fact]
    public async Task A_text_file_attached_on_the_page_is_read_by_the_bot_and_an_oversized_one_is_refused_with_a_message()
    {
        var directory = Path.Combine(Path.GetTempPath(), "cordial-sandbox-upload-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var notes = Path.Combine(directory, "notes.txt");
            await File.WriteAllTextAsync(notes, "The secret ingredient is cardamom.\nServe warm.", Token);
            var huge = Path.Combine(directory, "huge.log");
            await using (var stream = File.Create(huge))
            {
                stream.SetLength((10L * 1024 * 1024) + 1); // one byte over the emulator's upload limit
            }

            await using var sandbox = await SandboxHost.StartAsync(new SandboxHostOptions { Port = 0, DataDirectory = Path.Combine(directory, "data") }, Token);
            using var browser = HeadlessChromium.Start();
            var page = new SandboxPageDriver(browser);
            await page.OpenAsync(sandbox.PageAddress, "general");

            // Too large: refused on the page with the reason, nothing queued, nothing sent.
            page.ChooseFiles(huge);
            await SandboxPageDriver.WaitAsync(() => page.StatusText, t => t.Length > 0, "the page to refuse the oversized file");
            Assert.Equal("The file huge.log is too large (10 MB): files can be at most 10 MB.", page.StatusText);
            Assert.Equal("", page.AttachmentBar);

            page.ChooseFiles(notes);
            await SandboxPageDriver.WaitAsync(() => page.AttachmentBar, t => t == "📎 notes.txt", "the file to wait in the attachment bar");
            page.Send("what does this file say?");

            var general = sandbox.Channels["general"];
            var question = await Eventually.UntilAsync(
                () => sandbox.Discord.GetMessages(general).FirstOrDefault(m => m.AuthorId == sandbox.UserId),
                m => m is not null, "the page's message with its file", TimeSpan.FromSeconds(90));
            Assert.Equal($"<@{sandbox.BotUserId}> what does this file say?", question!.Content);
            var attachment = Assert.Single(question.Attachments);
            Assert.Equal(("notes.txt", "text/plain"), (attachment.Filename, attachment.ContentType));

            // The bot read the file from the emulator's CDN-style URL and inlined it; the simulated model echoes it back.
            var answer = await Eventually.UntilAsync(
                () => sandbox.Discord.GetMessages(general).FirstOrDefault(m => m.AuthorId == sandbox.BotUserId && m.ReplyToMessageId == question.Id),
                m => m is not null && m.Content.Contains("Serve warm.", StringComparison.Ordinal), "the bot's answer quoting the file", TimeSpan.FromSeconds(90));
            Assert.Contains("Attached file notes.txt:\nThe secret ingredient is cardamom.\nServe warm.", answer!.Content, StringComparison.Ordinal);
            await SandboxPageDriver.WaitAsync(() => page.MessageText(answer.Id), t => t == answer.Content, "the page to show the answer");
            Assert.Equal("📎 notes.txt", page.MessagePart(question.Id, ".attachment"));
            Assert.Equal("", page.AttachmentBar);
            Assert.Equal("", page.StatusText);
            page.Screenshot("sandbox-upload");

            // /model suggestions come from the bot (autocomplete interaction answered with callback type 8): "you" is an admin.
            page.Type("/model sim");
            await SandboxPageDriver.WaitAsync(() => page.Suggestions, t => t == "simulated,simulated-large,simulated-vision", "the bot's suggestions for /model sim");
            page.Type("ulated-v");
            await SandboxPageDriver.WaitAsync(() => page.Suggestions, t => t == "simulated-vision", "the suggestions to follow the typing");
            page.PressEnter();
            Assert.Equal("/model name: simulated-vision", page.Composer);
            page.PressEnter();
            var chosen = await Eventually.UntilAsync(
                () => sandbox.Discord.GetMessages(general).FirstOrDefault(m => m.AuthorId == sandbox.BotUserId && m.Content.Contains("simulated-vision", StringComparison.Ordinal)),
                m => m is not null, "the /model answer", TimeSpan.FromSeconds(60));
            Assert.Equal("From now on **simulated-vision** answers in this channel.", chosen!.Content);
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
