using System.Globalization;
using OpenQA.Selenium;

namespace Cordial.Integration.Tests.Browser;

/// <summary>
/// The sandbox page as a test sees it: reads the DOM through small scripts (no stale element handles) and waits by
/// polling; the timeouts only bound a failing test.
/// </summary>
internal sealed class SandboxPageDriver(HeadlessChromium browser)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public IWebDriver Driver => browser.Driver;

    /// <summary>Opens the page and waits until it shows a channel and its live event stream is open.</summary>
    public async Task OpenAsync(Uri page, string channelName)
    {
        Driver.Navigate().GoToUrl(new Uri(page, "?channel=" + Uri.EscapeDataString(channelName)));
        await WaitAsync(
            () => Script<string>("return document.body.dataset.live === 'true' ? document.getElementById('channel-title').textContent : '';"),
            title => title == "# " + channelName,
            $"the page to show #{channelName} with live updates");
    }

    public T? Script<T>(string script, params object[] arguments)
    {
        var value = ((IJavaScriptExecutor)Driver).ExecuteScript(script, arguments);
        return value is null ? default : (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>Polls <paramref name="probe"/> until <paramref name="done"/> holds.</summary>
    public static async Task<T> WaitAsync<T>(Func<T> probe, Func<T, bool> done, string what)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(Timeout.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (true)
        {
            var value = probe();
            if (done(value))
            {
                return value;
            }

            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                Assert.Fail($"Timed out waiting for {what}. Last value: {value}");
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public static Task WaitAsync(Func<bool> condition, string what) => WaitAsync(condition, static v => v, what);

    /// <summary>The rendered text of a message, or null when the page does not show it.</summary>
    public string? MessageText(ulong messageId) =>
        Script<string>("const n = document.querySelector('.message[data-id=\"' + arguments[0] + '\"] .content'); return n ? n.textContent : null;", Id(messageId));

    public bool ShowsMessage(ulong messageId) =>
        Script<bool>("return document.querySelector('.message[data-id=\"' + arguments[0] + '\"]') !== null;", Id(messageId));

    /// <summary>Text of the first element matching <paramref name="selector"/> inside a message, or null.</summary>
    public string? MessagePart(ulong messageId, string selector) =>
        Script<string>("const n = document.querySelector('.message[data-id=\"' + arguments[0] + '\"] ' + arguments[1]); return n ? n.textContent : null;", Id(messageId), selector);

    public string TypingText => Script<string>("return document.getElementById('typing').textContent;") ?? "";

    public string StatusText => Script<string>("return document.getElementById('status').textContent;") ?? "";

    public string Composer => Script<string>("return document.getElementById('composer').value;") ?? "";

    /// <summary>The names the slash-command menu offers ("" when it is hidden).</summary>
    public string CommandMenu => Script<string>(
        "const m = document.getElementById('command-menu'); return m.hidden ? '' : [...m.querySelectorAll('.command')].map(c => c.dataset.name).join(',');") ?? "";

    /// <summary>The option values the menu suggests ("" when it shows none).</summary>
    public string Suggestions => Script<string>(
        "const m = document.getElementById('command-menu'); return m.hidden ? '' : [...m.querySelectorAll('.choice')].map(c => c.dataset.value).join(',');") ?? "";

    public void Type(string text) => Driver.FindElement(By.Id("composer")).SendKeys(text);

    public void PressEnter() => Driver.FindElement(By.Id("composer")).SendKeys(Keys.Enter);

    /// <summary>Types <paramref name="text"/> and presses Enter.</summary>
    public void Send(string text)
    {
        Type(text);
        PressEnter();
    }

    /// <summary>Chooses files in the page's file picker (as a user picking them in the dialog).</summary>
    public void ChooseFiles(params string[] paths) => Driver.FindElement(By.Id("file-input")).SendKeys(string.Join("\n", paths));

    /// <summary>The files waiting to be sent, as the page lists them.</summary>
    public string AttachmentBar => Script<string>(
        "const b = document.getElementById('attachment-bar'); return b.hidden ? '' : [...b.querySelectorAll('.file-chip .name')].map(n => n.textContent).join(',');") ?? "";

    public void ClickReply(ulong messageId) =>
        Script<object>("document.querySelector('.message[data-id=\"' + arguments[0] + '\"] .reply-button').click(); return null;", Id(messageId));

    /// <summary>
    /// Records, inside the page, every distinct text the message shows (each DOM change), so a test can check the page
    /// went through the revisions the bot made without racing them.
    /// </summary>
    public void RecordTextsOfBotMessages() => Script<object>(
        """
        window.__texts = {};
        const record = () => document.querySelectorAll('.message.from-bot').forEach(n => {
          const c = n.querySelector('.content'); if (!c) return;
          const list = window.__texts[n.dataset.id] || (window.__texts[n.dataset.id] = []);
          if (list[list.length - 1] !== c.textContent) list.push(c.textContent);
        });
        new MutationObserver(record).observe(document.getElementById('messages'), { childList: true, subtree: true, characterData: true });
        return null;
        """);

    public IReadOnlyList<string> RecordedTexts(ulong messageId)
    {
        var value = ((IJavaScriptExecutor)Driver).ExecuteScript("return (window.__texts || {})[arguments[0]] || [];", Id(messageId));
        return value is IEnumerable<object> items ? [.. items.Select(i => i?.ToString() ?? "")] : [];
    }

    public void Screenshot(string name) => browser.ScreenshotIfAsked(name);

    private static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);
}
