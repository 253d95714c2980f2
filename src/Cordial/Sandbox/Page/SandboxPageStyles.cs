namespace Cordial.Sandbox;

/// <summary>The sandbox page's stylesheet (served at /sandbox/sandbox.css).</summary>
internal static class SandboxPageStyles
{
    public const string Text = """"
:root {
  --bg: #313338; --bg-side: #2b2d31; --bg-dark: #1e1f22; --bg-hover: #2e3035; --text: #dbdee1; --muted: #949ba4;
  --accent: #5865f2; --link: #00a8fc; --bot: #5865f2; --code-bg: #1e1f22; --mention-bg: rgba(88, 101, 242, .3);
  --ephemeral: rgba(88, 101, 242, .08); --danger: #f23f42;
  font-family: "gg sans", "Noto Sans", "Helvetica Neue", Helvetica, Arial, sans-serif; font-size: 15px;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html, body { height: 100%; margin: 0; }
body { background: var(--bg); color: var(--text); display: flex; flex-direction: column; }
header#banner { display: flex; align-items: center; justify-content: space-between; gap: 1em; padding: 8px 16px; background: var(--bg-dark); border-bottom: 1px solid #111; }
header .title strong { font-size: 1.05em; color: #fff; margin-right: .75em; }
header .purpose { color: var(--muted); font-size: .85em; }
.connection { font-size: .8em; color: var(--muted); white-space: nowrap; }
.connection.live::before { content: "● "; color: #23a55a; }
.connection.down::before { content: "● "; color: var(--danger); }
#app { flex: 1; display: flex; min-height: 0; }
#sidebar { width: 240px; background: var(--bg-side); padding: 12px 8px; display: flex; flex-direction: column; gap: 4px; overflow-y: auto; }
.guild-name { font-weight: 700; color: #fff; padding: 4px 8px 10px; border-bottom: 1px solid #1f2023; margin-bottom: 6px; }
.section-title { text-transform: uppercase; font-size: .72em; font-weight: 700; color: var(--muted); padding: 10px 8px 4px; letter-spacing: .02em; }
.channel-list { list-style: none; margin: 0; padding: 0; }
.channel-list li { margin: 1px 0; }
.channel { display: flex; width: 100%; align-items: center; gap: 6px; padding: 5px 8px; border-radius: 4px; color: var(--muted); cursor: pointer; background: none; border: 0; font: inherit; text-align: left; }
.channel:hover { background: var(--bg-hover); color: var(--text); }
.channel.active { background: #404249; color: #fff; }
.channel.thread { padding-left: 26px; font-size: .92em; }
.channel .badge { margin-left: auto; background: var(--danger); color: #fff; border-radius: 8px; font-size: .72em; padding: 0 6px; }
.link-button { background: none; border: 0; color: var(--link); cursor: pointer; font: inherit; font-size: .85em; padding: 4px 8px; text-align: left; }
.link-button:hover { text-decoration: underline; }
.me { margin-top: auto; padding: 8px; color: var(--muted); font-size: .85em; border-top: 1px solid #1f2023; }
#chat { flex: 1; display: flex; flex-direction: column; min-width: 0; }
.channel-header { padding: 10px 16px; border-bottom: 1px solid #26282c; font-weight: 700; color: #fff; display: flex; gap: 1em; align-items: baseline; }
.channel-header .hint { font-weight: 400; color: var(--muted); font-size: .85em; }
.messages { flex: 1; overflow-y: auto; padding: 8px 0 12px; }
.empty { color: var(--muted); padding: 24px 16px; }
.message { position: relative; padding: 6px 16px 6px 16px; }
.message:hover { background: #2e3035; }
.message.ephemeral { background: var(--ephemeral); }
.message .meta { display: flex; gap: .5em; align-items: baseline; }
.message .author { font-weight: 600; color: #f2f3f5; }
.message .author.bot-author { color: #c9cdfb; }
.tag { background: var(--bot); color: #fff; font-size: .65em; font-weight: 700; border-radius: 3px; padding: 1px 4px; vertical-align: middle; }
.message time { color: var(--muted); font-size: .75em; }
.message .edited { color: var(--muted); font-size: .7em; }
.message .actions { position: absolute; right: 16px; top: 4px; display: none; }
.message:hover .actions, .message:focus-within .actions { display: block; }
.message .actions button { background: var(--bg-dark); border: 1px solid #111; border-radius: 4px; color: var(--text); cursor: pointer; font-size: .78em; padding: 2px 8px; }
.reference { color: var(--muted); font-size: .82em; margin-bottom: 2px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; cursor: pointer; }
.reference::before { content: "╭ "; }
.reference .ref-author { color: #c4c9ce; font-weight: 600; margin-right: .4em; }
.command-use { color: var(--muted); font-size: .82em; margin-bottom: 2px; }
.command-use .command-name { color: var(--link); }
.content { white-space: pre-wrap; overflow-wrap: anywhere; line-height: 1.375; }
.content code { background: var(--code-bg); border-radius: 3px; padding: 0 .25em; font-family: "JetBrains Mono", Consolas, "DejaVu Sans Mono", monospace; font-size: .87em; }
.content pre { background: var(--code-bg); border: 1px solid #111; border-radius: 4px; padding: 8px 10px; margin: 4px 0; overflow-x: auto; white-space: pre; max-width: 90ch; }
.content pre code { background: none; padding: 0; display: block; }
.content pre .lang { display: block; color: var(--muted); font-size: .75em; margin-bottom: 4px; font-family: inherit; }
.mention { background: var(--mention-bg); color: #c9cdfb; border-radius: 3px; padding: 0 2px; }
.thinking { color: var(--muted); font-style: italic; }
.thinking::after { content: " …"; }
.ephemeral-note { color: var(--muted); font-size: .75em; margin-top: 4px; }
.ephemeral-note::before { content: "\25C9  "; color: var(--accent); }
.ephemeral-note .link-button { font-size: 1em; padding: 0; }
.embed { display: flex; margin-top: 6px; max-width: 520px; background: #2b2d31; border-radius: 4px; overflow: hidden; }
.embed .bar { width: 4px; flex: none; background: #1e1f22; }
.embed .body { padding: 8px 12px 10px; min-width: 0; }
.embed .embed-author { font-size: .82em; font-weight: 600; margin-bottom: 4px; }
.embed .embed-title { font-weight: 700; color: #fff; margin-bottom: 4px; }
.embed .embed-description { font-size: .92em; }
.embed .fields { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 6px 12px; margin-top: 6px; }
.embed .field { grid-column: 1 / -1; font-size: .88em; }
.embed .field.inline { grid-column: auto; }
.embed .field-name { font-weight: 700; color: #fff; }
.embed .embed-footer { color: var(--muted); font-size: .75em; margin-top: 8px; }
.attachment { margin-top: 4px; }
.thread-link { display: block; padding: 4px 0 0; }
.attachment img { max-width: 320px; max-height: 240px; border-radius: 4px; display: block; }
.typing { min-height: 1.4em; padding: 0 16px; color: var(--muted); font-size: .8em; }
.reply-bar { margin: 0 16px; padding: 6px 10px; background: var(--bg-side); border-radius: 6px 6px 0 0; color: var(--muted); font-size: .85em; display: flex; justify-content: space-between; }
.composer { margin: 0 16px 4px; display: flex; gap: 8px; align-items: center; background: #383a40; border-radius: 8px; padding: 6px 10px; }
.composer textarea { flex: 1; resize: none; background: none; border: 0; color: var(--text); font: inherit; outline: none; max-height: 40vh; padding: 6px 0; }
.attach-button { background: #4e5058; border: 0; border-radius: 50%; color: var(--text); cursor: pointer; font-size: 1em; height: 26px; width: 26px; line-height: 26px; padding: 0; flex: none; }
.attach-button:hover { background: #6d6f78; }
.attachment-bar { margin: 0 16px; padding: 6px 10px; background: var(--bg-side); border-radius: 6px 6px 0 0; display: flex; flex-wrap: wrap; gap: 6px; }
.file-chip { background: #383a40; border-radius: 4px; padding: 2px 4px 2px 8px; font-size: .82em; display: inline-flex; align-items: center; gap: 4px; }
.file-chip .size { color: var(--muted); }
.file-chip .link-button { padding: 0 4px; }
.mention-toggle { color: var(--muted); font-size: .8em; white-space: nowrap; cursor: pointer; user-select: none; }
.command-menu { margin: 0 16px; background: var(--bg-side); border: 1px solid #111; border-radius: 6px; max-height: 260px; overflow-y: auto; }
.command-menu .command { padding: 6px 10px; cursor: pointer; }
.command-menu .command.selected, .command-menu .command:hover { background: #404249; }
.command-menu .command .name { color: #fff; font-weight: 600; }
.command-menu .command .description { color: var(--muted); font-size: .85em; margin-left: .5em; }
.command-menu .command .options { color: var(--muted); font-size: .78em; margin-top: 2px; }
.command-menu .option.required { color: var(--text); }
.status { min-height: 1.3em; padding: 0 16px 6px; font-size: .8em; color: var(--muted); }
.status.error { color: var(--danger); }
"""";
}
