namespace Cordial.Sandbox;

/// <summary>The sandbox page's HTML (served at "/").</summary>
internal static class SandboxPageHtml
{
    public const string Text = """"
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cordial Sandbox</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/sandbox/sandbox.css">
<script src="/sandbox/sandbox.js" defer></script>
</head>
<body>
<header id="banner">
  <div class="title"><strong id="sandbox-title">Sandbox — simulated model</strong>
    <span class="purpose">Try Cordial here: this page is a local Discord look-alike. The real bot answers through an emulated Discord on this machine; nothing is sent to Discord.</span></div>
  <div id="connection" class="connection" title="Live updates from the emulator">connecting…</div>
</header>
<div id="app">
  <nav id="sidebar" aria-label="Channels">
    <div id="guild-name" class="guild-name">…</div>
    <div class="section-title">Text channels</div>
    <ul id="channel-list" class="channel-list"></ul>
    <div class="section-title">Direct messages</div>
    <ul id="dm-list" class="channel-list"></ul>
    <button id="open-dm" type="button" class="link-button">Message the bot directly</button>
    <div class="me" id="me"></div>
  </nav>
  <main id="chat">
    <div id="channel-header" class="channel-header"><span id="channel-title"># …</span><span id="channel-hint" class="hint"></span></div>
    <div id="messages" class="messages" aria-live="polite"></div>
    <div id="typing" class="typing" aria-live="polite"></div>
    <div id="reply-bar" class="reply-bar" hidden><span id="reply-text"></span><button id="reply-cancel" type="button" class="link-button" aria-label="Cancel reply">✕</button></div>
    <div id="command-menu" class="command-menu" hidden role="listbox"></div>
    <div id="attachment-bar" class="attachment-bar" hidden aria-label="Files to send"></div>
    <form id="composer-form" class="composer" autocomplete="off">
      <button id="attach" type="button" class="attach-button" title="Attach files (text files are read by the bot, images go to vision models)" aria-label="Attach files">＋</button>
      <input id="file-input" type="file" multiple hidden>
      <textarea id="composer" rows="1" placeholder="Message… (Enter sends, Shift+Enter new line, / for commands)" aria-label="Message"></textarea>
      <label class="mention-toggle" title="Start the message with a mention of the bot"><input type="checkbox" id="mention-toggle"> <span id="mention-label">@mention the bot</span></label>
    </form>
    <div id="status" class="status" role="status"></div>
  </main>
</div>
</body>
</html>
"""";
}
