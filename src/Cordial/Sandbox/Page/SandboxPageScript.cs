namespace Cordial.Sandbox;

/// <summary>The sandbox page's script (served at /sandbox/sandbox.js): plain JavaScript, no build step, never turns message text into markup.</summary>
internal static class SandboxPageScript
{
    public const string Text = """"
// Cordial sandbox page. Talks only to the Discord emulator's control API (/_emulator/discord) and /sandbox/info.
// Every piece of message text is untrusted (the model writes it): it is put in the page with textContent and
// createElement only, never as markup.
"use strict";
(() => {
  const API = "/_emulator/discord";
  const MAX_MESSAGES = 500;
  const TYPING_MS = 10000;
  const EPHEMERAL = 64;
  const LOADING = 128;
  const MAX_FILES = 10;
  const FALLBACK_COMMANDS = [
    { name: "chat", description: "Ask the model something without mentioning the bot", options: [{ name: "prompt", description: "What to ask", required: true }] },
    { name: "reset", description: "Forget our conversation in this channel and start fresh", options: [] },
    { name: "model", description: "Show or set the model that answers in this channel (admins)", options: [{ name: "name", description: "The model to use" }] },
    { name: "persona", description: "Show or set this channel's persona (admins)", options: [{ name: "text", description: "The persona; 'clear' removes it" }] },
    { name: "stats", description: "Your usage: messages and tokens", options: [] },
    { name: "help", description: "How to talk to the bot", options: [] },
  ];

  const S = {
    info: null,
    users: new Map(),
    channels: new Map(),
    guild: null,
    current: null,
    messages: new Map(),
    unread: new Map(),
    interactions: new Map(),
    commands: [...FALLBACK_COMMANDS].sort((a, b) => a.name.localeCompare(b.name)),
    typing: new Map(),
    mention: new Map(),
    replyTo: null,
    menu: [],
    menuIndex: 0,
    dismissed: new Set(),
    stateTimer: 0,
    files: [],
    suggest: { key: "", seq: 0, timer: 0 },
  };

  const $ = (id) => document.getElementById(id);

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function compareIds(a, b) {
    const x = BigInt(a), y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  async function call(method, path, body) {
    const init = { method, headers: { Accept: "application/json" }, cache: "no-store" };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path.startsWith("/sandbox/") ? path : API + path, init);
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    if (!response.ok) {
      const reason = json && (json.error || json.detail || json.title) ? (json.error || json.detail || json.title) : response.status + " " + response.statusText;
      throw new Error(reason);
    }
    return json;
  }

  // multipart upload (the files of a message): same error handling as call()
  async function callForm(path, form) {
    const response = await fetch(API + path, { method: "POST", headers: { Accept: "application/json" }, body: form, cache: "no-store" });
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    if (!response.ok) {
      throw new Error(json && json.error ? json.error : response.status === 413 ? "The upload is too large." : response.status + " " + response.statusText);
    }
    return json;
  }

  function status(text, isError) {
    const node = $("status");
    node.textContent = text || "";
    node.classList.toggle("error", !!isError);
  }

  function userName(id) {
    if (!id) return "unknown";
    const user = S.users.get(String(id));
    return user ? user.username : "user " + id;
  }

  function isBot(id) {
    const user = S.users.get(String(id));
    return !!(user && user.bot);
  }

  const me = () => S.info && S.info.userId;
  const botId = () => S.info && S.info.botUserId;

  // ── state: guild, users, channels ───────────────────────────────────────────────────────────────────────────────
  async function loadState() {
    const state = await call("GET", "/state");
    S.users.clear();
    for (const user of state.users || []) S.users.set(String(user.id), user);
    for (const bot of state.bots || []) if (bot.user) S.users.set(String(bot.user.id), { ...bot.user, bot: true });
    S.channels.clear();
    for (const channel of state.channels || []) S.channels.set(String(channel.id), channel);
    const guilds = (state.guilds || []).map((g) => g.guild);
    S.guild = guilds.find((g) => String(g.id) === String(S.info.guildId)) || null;
    renderSidebar();
  }

  function scheduleStateReload() {
    clearTimeout(S.stateTimer);
    S.stateTimer = setTimeout(() => loadState().then(() => renderMessages(false)).catch((e) => status("Could not load the sandbox: " + e.message, true)), 150);
  }

  function guildChannels() {
    return [...S.channels.values()].filter((c) => S.guild && String(c.guildId) === String(S.guild.id));
  }

  function directMessages() {
    return [...S.channels.values()].filter((c) => c.kind === "DirectMessage" && (c.recipientIds || []).map(String).includes(String(me())));
  }

  function channelLabel(channel) {
    if (!channel) return "";
    if (channel.kind === "DirectMessage") {
      const other = (channel.recipientIds || []).map(String).find((id) => id !== String(me()));
      return "@" + userName(other);
    }
    return (channel.isThread ? "↳ " : "# ") + channel.name;
  }

  function channelButton(channel, extraClass) {
    const li = el("li");
    const button = el("button", "channel" + (extraClass ? " " + extraClass : ""));
    button.type = "button";
    button.dataset.id = channel.id;
    button.dataset.name = channel.name;
    if (String(channel.id) === String(S.current)) button.classList.add("active");
    button.append(el("span", "name", channelLabel(channel)));
    const unread = S.unread.get(String(channel.id)) || 0;
    if (unread > 0) button.append(el("span", "badge", unread > 99 ? "99+" : unread));
    button.addEventListener("click", () => selectChannel(String(channel.id)));
    li.append(button);
    return li;
  }

  function renderSidebar() {
    $("guild-name").textContent = S.guild ? S.guild.name : "No guild yet";
    const list = $("channel-list");
    list.replaceChildren();
    const channels = guildChannels();
    const byId = (a, b) => compareIds(a.id, b.id);
    const texts = channels.filter((c) => c.kind === "Text" || c.kind === "Announcement").sort(byId);
    for (const channel of texts) {
      list.append(channelButton(channel));
      for (const thread of channels.filter((c) => c.isThread && String(c.parentId) === String(channel.id)).sort(byId)) {
        list.append(channelButton(thread, "thread"));
      }
    }
    const dms = $("dm-list");
    dms.replaceChildren();
    for (const dm of directMessages().sort(byId)) dms.append(channelButton(dm));
    $("me").textContent = me() ? "You are @" + userName(me()) : "";
    $("open-dm").hidden = !(me() && botId());
    const current = S.channels.get(String(S.current));
    if (current) $("channel-title").textContent = channelLabel(current);
  }

  // ── commands ────────────────────────────────────────────────────────────────────────────────────────────────────
  async function loadCommands() {
    if (!botId()) return;
    const lists = await Promise.all([
      S.guild ? call("GET", "/bots/" + botId() + "/commands?guildId=" + S.guild.id).catch(() => []) : Promise.resolve([]),
      call("GET", "/bots/" + botId() + "/commands").catch(() => []),
    ]);
    const byName = new Map();
    for (const command of [...lists[1], ...lists[0]]) {
      let options = [];
      try { options = JSON.parse(command.optionsJson || "[]"); } catch { options = []; }
      byName.set(command.name, { name: command.name, description: command.description || "", options: Array.isArray(options) ? options : [] });
    }
    S.commands = (byName.size > 0 ? [...byName.values()] : FALLBACK_COMMANDS).sort((a, b) => a.name.localeCompare(b.name));
  }

  // ── messages ────────────────────────────────────────────────────────────────────────────────────────────────────
  function upsert(message) {
    const id = String(message.id);
    const existing = S.messages.get(id);
    if (existing && !message.deleted && (message.revisions || []).length < (existing.revisions || []).length) return false;
    S.messages.set(id, message);
    while (S.messages.size > MAX_MESSAGES) S.messages.delete(oldestId());
    return true;
  }

  function oldestId() {
    let oldest = null;
    for (const id of S.messages.keys()) if (oldest === null || compareIds(id, oldest) < 0) oldest = id;
    return oldest;
  }

  async function selectChannel(id) {
    S.current = id;
    S.messages = new Map();
    S.unread.delete(id);
    S.typing.clear();
    setReply(null);
    const channel = S.channels.get(id);
    $("channel-title").textContent = channelLabel(channel);
    $("channel-hint").textContent = hintFor(channel);
    const toggle = $("mention-toggle");
    toggle.checked = S.mention.has(id) ? S.mention.get(id) : mentionByDefault(channel);
    renderSidebar();
    renderTyping();
    renderMessages(true);
    history.replaceState(null, "", "?channel=" + encodeURIComponent(channel && channel.kind !== "DirectMessage" ? channel.name : id));
    await refreshMessages(true);
    $("composer").focus();
  }

  // Merges the channel's stored messages with what the live events already brought (the newer revision wins).
  async function refreshMessages(scrollToEnd) {
    const id = S.current;
    if (!id) return;
    try {
      const messages = await call("GET", "/channels/" + id + "/messages");
      if (S.current !== id) return;
      for (const message of (messages || []).slice(-MAX_MESSAGES)) upsert(message);
      renderMessages(scrollToEnd);
    } catch (e) {
      status("Could not load the messages: " + e.message, true);
    }
  }

  function mentionByDefault(channel) {
    if (!channel || channel.kind === "DirectMessage") return false;
    if ((S.info.everyMessageChannels || []).map(String).includes(String(channel.id))) return false;
    if (channel.isThread && String(channel.ownerId) === String(botId())) return false;
    return true;
  }

  function hintFor(channel) {
    if (!channel) return "";
    if (channel.kind === "DirectMessage") return "A private conversation with the bot: no mention needed.";
    if ((S.info.everyMessageChannels || []).map(String).includes(String(channel.id))) return "The bot answers every message here.";
    if (S.info.channels && String(S.info.channels.threads) === String(channel.id)) return "Mention the bot: it answers in a new thread.";
    return "Mention the bot (the toggle does it) or use /chat.";
  }

  function nearBottom(node) {
    return node.scrollHeight - node.scrollTop - node.clientHeight < 80;
  }

  function visibleMessages() {
    return [...S.messages.values()].filter((m) => !m.deleted && !S.dismissed.has(String(m.id))).sort((a, b) => compareIds(a.id, b.id));
  }

  function renderMessages(scrollToEnd) {
    const box = $("messages");
    const stick = scrollToEnd || nearBottom(box);
    box.replaceChildren();
    const list = visibleMessages();
    if (list.length === 0) box.append(el("div", "empty", S.current ? "No messages yet. Say hello!" : "Pick a channel."));
    for (const message of list) box.append(renderMessage(message));
    if (stick) box.scrollTop = box.scrollHeight;
  }

  function applyMessage(message) {
    if (!upsert(message)) return;
    const box = $("messages");
    const stick = nearBottom(box);
    const id = String(message.id);
    const node = box.querySelector('.message[data-id="' + id + '"]');
    if (message.deleted || S.dismissed.has(id)) {
      if (node) node.remove();
      if (!box.querySelector(".message")) renderMessages(false);
      return;
    }
    const fresh = renderMessage(message);
    if (node) {
      node.replaceWith(fresh);
    } else {
      const empty = box.querySelector(".empty");
      if (empty) empty.remove();
      const after = [...box.querySelectorAll(".message")].find((n) => compareIds(n.dataset.id, id) > 0);
      box.insertBefore(fresh, after || null);
    }
    if (stick) box.scrollTop = box.scrollHeight;
  }

  function formatTime(iso) {
    const date = new Date(iso);
    return isNaN(date.getTime()) ? "" : date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function renderMessage(message) {
    const id = String(message.id);
    const node = el("div", "message");
    node.dataset.id = id;
    node.dataset.author = String(message.authorId);
    if (isBot(message.authorId)) node.classList.add("from-bot");
    const ephemeral = (message.flags & EPHEMERAL) !== 0;
    if (ephemeral) node.classList.add("ephemeral");

    if (message.replyToMessageId) node.append(renderReference(String(message.replyToMessageId)));
    if (message.interactionId) node.append(renderCommandUse(String(message.interactionId)));

    const meta = el("div", "meta");
    const author = el("span", "author", userName(message.authorId));
    meta.append(author);
    if (isBot(message.authorId)) {
      author.classList.add("bot-author");
      meta.append(el("span", "tag", "BOT"));
    }
    const time = el("time", null, formatTime(message.createdAt));
    time.dateTime = message.createdAt;
    time.title = new Date(message.createdAt).toLocaleString();
    meta.append(time);
    if (message.editedAt) meta.append(el("span", "edited", "(edited)"));
    node.append(meta);

    const content = el("div", "content");
    if ((message.flags & LOADING) !== 0 && !message.content) {
      content.append(el("span", "thinking", userName(message.authorId) + " is thinking"));
    } else {
      renderMarkdown(message.content || "", content);
    }
    node.append(content);

    for (const embed of parseEmbeds(message.embeds)) node.append(renderEmbed(embed));
    for (const attachment of message.attachments || []) node.append(renderAttachment(attachment));

    if (ephemeral) {
      const note = el("div", "ephemeral-note", "Only you can see this · ");
      const dismiss = el("button", "link-button", "Dismiss message");
      dismiss.type = "button";
      dismiss.addEventListener("click", () => { S.dismissed.add(id); node.remove(); });
      note.append(dismiss);
      node.append(note);
    }

    const thread = S.channels.get(id);
    if (thread && thread.isThread) {
      const open = el("button", "link-button thread-link", "↳ Thread: " + thread.name + " ›");
      open.type = "button";
      open.addEventListener("click", () => selectChannel(id));
      node.append(open);
    }

    const actions = el("div", "actions");
    const reply = el("button", "reply-button", "reply");
    reply.type = "button";
    reply.title = "Reply to this message";
    reply.addEventListener("click", () => setReply(id));
    actions.append(reply);
    node.append(actions);
    return node;
  }

  function renderReference(targetId) {
    const target = S.messages.get(targetId);
    const node = el("div", "reference");
    if (target && !target.deleted) {
      node.append(el("span", "ref-author", "@" + userName(target.authorId)));
      node.append(document.createTextNode(snippet(target.content) || "(no text)"));
    } else {
      node.append(document.createTextNode(target ? "Original message was deleted" : "Replying to an earlier message"));
    }
    node.addEventListener("click", () => {
      const original = $("messages").querySelector('.message[data-id="' + targetId + '"]');
      if (original) original.scrollIntoView({ block: "center" });
    });
    return node;
  }

  function renderCommandUse(interactionId) {
    const node = el("div", "command-use");
    const known = S.interactions.get(interactionId);
    if (known) {
      node.append(document.createTextNode("@" + userName(known.userId) + " used "));
      node.append(el("span", "command-name", "/" + known.commandName));
    } else {
      node.textContent = "Response to a slash command";
      call("GET", "/interactions/" + interactionId).then((interaction) => {
        S.interactions.set(interactionId, { commandName: interaction.commandName, userId: String(interaction.userId) });
        node.replaceWith(renderCommandUse(interactionId));
      }).catch(() => { });
    }
    return node;
  }

  function snippet(text) {
    const flat = String(text || "")
      .replace(/<@!?(\d+)>/g, (_, id) => "@" + userName(id))
      .replace(/<#(\d+)>/g, (_, id) => "#" + (S.channels.has(id) ? S.channels.get(id).name : "unknown"))
      .replace(/\s+/g, " ").trim();
    return flat.length > 100 ? flat.slice(0, 100) + "…" : flat;
  }

  // ── safe markdown (a readable subset of Discord's) ──────────────────────────────────────────────────────────────
  function renderMarkdown(text, container) {
    let i = 0;
    while (i < text.length) {
      const open = text.indexOf("```", i);
      if (open < 0) { renderInline(text.slice(i), container); break; }
      renderInline(text.slice(i, open), container);
      let bodyStart = open + 3;
      const newline = text.indexOf("\n", bodyStart);
      let language = "";
      const close = text.indexOf("```", bodyStart);
      if (newline >= 0 && (close < 0 || newline < close) && /^[A-Za-z0-9_+#.-]{0,20}$/.test(text.slice(bodyStart, newline))) {
        language = text.slice(bodyStart, newline);
        bodyStart = newline + 1;
      }
      const end = close < 0 ? text.length : close;
      const pre = el("pre");
      if (language) pre.append(el("span", "lang", language));
      pre.append(el("code", null, text.slice(bodyStart, end).replace(/\n$/, "")));
      container.append(pre);
      i = close < 0 ? text.length : close + 3;
      if (text[i] === "\n") i++;
    }
  }

  const INLINE = /(`[^`\n]+`)|(\*\*[^*\n]+\*\*)|(<@!?\d+>)|(<@&\d+>)|(<#\d+>)|(https?:\/\/[^\s<>()]+)/g;

  function renderInline(text, container) {
    let last = 0;
    for (const match of text.matchAll(INLINE)) {
      if (match.index > last) container.append(document.createTextNode(text.slice(last, match.index)));
      const token = match[0];
      if (match[1]) {
        container.append(el("code", null, token.slice(1, -1)));
      } else if (match[2]) {
        container.append(el("strong", null, token.slice(2, -2)));
      } else if (match[3]) {
        container.append(el("span", "mention", "@" + userName(token.replace(/[<@!>]/g, ""))));
      } else if (match[4]) {
        container.append(el("span", "mention", "@role"));
      } else if (match[5]) {
        const channel = S.channels.get(token.replace(/[<#>]/g, ""));
        container.append(el("span", "mention", channel ? "#" + channel.name : "#unknown"));
      } else {
        const link = el("a", null, token);
        link.href = token;
        link.rel = "noopener noreferrer nofollow";
        link.target = "_blank";
        container.append(link);
      }
      last = match.index + token.length;
    }
    if (last < text.length) container.append(document.createTextNode(text.slice(last)));
  }

  function parseEmbeds(json) {
    if (!json) return [];
    try {
      const value = JSON.parse(json);
      return Array.isArray(value) ? value.filter((e) => e && typeof e === "object").slice(0, 10) : [];
    } catch {
      return [];
    }
  }

  function renderEmbed(embed) {
    const node = el("div", "embed");
    const bar = el("div", "bar");
    if (Number.isInteger(embed.color) && embed.color >= 0 && embed.color <= 0xffffff) {
      bar.style.backgroundColor = "#" + embed.color.toString(16).padStart(6, "0");
    }
    const body = el("div", "body");
    if (embed.author && embed.author.name) body.append(el("div", "embed-author", embed.author.name));
    if (embed.title) body.append(el("div", "embed-title", embed.title));
    if (embed.description) {
      const description = el("div", "embed-description content");
      renderMarkdown(String(embed.description), description);
      body.append(description);
    }
    if (Array.isArray(embed.fields) && embed.fields.length > 0) {
      const fields = el("div", "fields");
      for (const field of embed.fields.slice(0, 25)) {
        const item = el("div", "field" + (field.inline ? " inline" : ""));
        item.append(el("div", "field-name", field.name || ""));
        const value = el("div", "field-value content");
        renderMarkdown(String(field.value || ""), value);
        item.append(value);
        fields.append(item);
      }
      body.append(fields);
    }
    const footer = [embed.footer && embed.footer.text, embed.timestamp ? new Date(embed.timestamp).toLocaleString() : null].filter(Boolean).join(" • ");
    if (footer) body.append(el("div", "embed-footer", footer));
    node.append(bar, body);
    return node;
  }

  function renderAttachment(attachment) {
    const node = el("div", "attachment");
    const path = String(attachment.path || "");
    const href = path.startsWith("/") ? path : "/" + path;
    const safe = /^\/attachments\//.test(href);
    if (safe && /^image\//.test(attachment.contentType || "")) {
      const image = el("img");
      image.src = href;
      image.alt = attachment.filename || "image";
      node.append(image);
    } else {
      const link = el("a", null, "📎 " + (attachment.filename || "attachment"));
      if (safe) link.href = href;
      node.append(link);
    }
    return node;
  }

  // ── typing ──────────────────────────────────────────────────────────────────────────────────────────────────────
  function noteTyping(userId) {
    clearTimeout(S.typing.get(userId));
    S.typing.set(userId, setTimeout(() => { S.typing.delete(userId); renderTyping(); }, TYPING_MS));
    renderTyping();
  }

  function stopTyping(userId) {
    if (!S.typing.has(userId)) return;
    clearTimeout(S.typing.get(userId));
    S.typing.delete(userId);
    renderTyping();
  }

  function renderTyping() {
    const names = [...S.typing.keys()].map(userName);
    $("typing").textContent = names.length === 0 ? "" : names.join(", ") + (names.length === 1 ? " is typing…" : " are typing…");
  }

  // ── live events ─────────────────────────────────────────────────────────────────────────────────────────────────
  function connectEvents() {
    const source = new EventSource(API + "/events");
    const indicator = $("connection");
    source.onopen = async () => {
      indicator.textContent = "live";
      indicator.className = "connection live";
      try {
        // Anything that happened before the stream opened (or while it was down) comes from the stored state.
        await loadState();
        await loadCommands();
        await refreshMessages(false);
        document.body.dataset.live = "true";
      } catch (e) {
        status("Could not refresh: " + e.message, true);
      }
    };
    source.onerror = () => {
      indicator.textContent = "reconnecting…";
      indicator.className = "connection down";
      document.body.dataset.live = "false";
    };
    source.onmessage = (event) => {
      let item;
      try { item = JSON.parse(event.data); } catch { return; }
      onEvent(item);
    };
  }

  function onEvent(item) {
    const channelId = item.channelId ? String(item.channelId) : null;
    switch (item.type) {
      case "message_created":
      case "message_updated":
      case "message_deleted": {
        if (!item.message) return;
        if (item.type !== "message_deleted") stopTyping(String(item.message.authorId));
        if (channelId === S.current) {
          applyMessage(item.message);
        } else if (item.type === "message_created" && String(item.message.authorId) !== String(me()) && S.channels.has(channelId)) {
          S.unread.set(channelId, (S.unread.get(channelId) || 0) + 1);
          renderSidebar();
        }
        return;
      }
      case "typing":
        if (channelId === S.current && String(item.userId) !== String(me())) noteTyping(String(item.userId));
        return;
      case "channel_created":
      case "thread_created":
      case "user_created":
      case "bot_registered":
      case "guild_created":
        scheduleStateReload();
        return;
      case "commands_updated":
        loadCommands().catch(() => { });
        return;
      default:
        return;
    }
  }

  // ── composer ────────────────────────────────────────────────────────────────────────────────────────────────────
  function setReply(id) {
    S.replyTo = id;
    const bar = $("reply-bar");
    if (!id) { bar.hidden = true; return; }
    const target = S.messages.get(id);
    $("reply-text").textContent = "Replying to @" + (target ? userName(target.authorId) : "a message") + (target ? ": " + snippet(target.content).slice(0, 60) : "");
    bar.hidden = false;
    $("composer").focus();
  }

  // ── files to attach ─────────────────────────────────────────────────────────────────────────────────────────────
  function describeSize(bytes) {
    if (bytes >= 1024 * 1024) return (Math.round(bytes / 1024 / 1024 * 10) / 10) + " MB";
    if (bytes >= 1024) return (Math.round(bytes / 1024 * 10) / 10) + " KB";
    return bytes + " bytes";
  }

  function addFiles(list) {
    const limit = (S.info && S.info.uploadLimitBytes) || 10 * 1024 * 1024;
    const refused = [];
    for (const file of list) {
      if (file.size > limit) {
        refused.push("The file " + file.name + " is too large (" + describeSize(file.size) + "): files can be at most " + describeSize(limit) + ".");
      } else if (S.files.length >= MAX_FILES) {
        refused.push("A message carries at most " + MAX_FILES + " files.");
        break;
      } else {
        S.files.push(file);
      }
    }
    renderFiles();
    status(refused.join(" "), refused.length > 0);
  }

  function renderFiles() {
    const bar = $("attachment-bar");
    bar.replaceChildren();
    S.files.forEach((file, index) => {
      const chip = el("span", "file-chip");
      chip.append(el("span", "name", "📎 " + file.name), el("span", "size", describeSize(file.size)));
      const remove = el("button", "link-button", "✕");
      remove.type = "button";
      remove.setAttribute("aria-label", "Remove " + file.name);
      remove.addEventListener("click", () => { S.files.splice(index, 1); renderFiles(); });
      chip.append(remove);
      bar.append(chip);
    });
    bar.hidden = S.files.length === 0;
  }

  async function send() {
    const box = $("composer");
    const text = box.value.trim();
    if ((!text && S.files.length === 0) || !S.current) return;
    box.disabled = true;
    try {
      if (text.startsWith("/") && S.files.length === 0) {
        await runCommand(text);
      } else {
        await postMessage(text);
      }
      box.value = "";
      autosize();
      hideMenu();
      status("");
    } catch (e) {
      status(e.message, true);
    } finally {
      box.disabled = false;
      box.focus();
    }
  }

  async function postMessage(text) {
    const mention = "<@" + botId() + ">";
    const content = $("mention-toggle").checked && botId() && !text.includes(mention) ? mention + " " + text : text;
    const body = { authorId: me(), content };
    if (S.replyTo) body.replyToMessageId = S.replyTo;
    if (S.files.length > 0) {
      // as on Discord: the files go with the message and are stored by the server, which gives each one a URL
      const form = new FormData();
      form.append("payload_json", JSON.stringify(body));
      S.files.forEach((file, index) => form.append("files[" + index + "]", file, file.name));
      await callForm("/channels/" + S.current + "/messages", form);
      S.files = [];
      renderFiles();
    } else {
      await call("POST", "/channels/" + S.current + "/messages", body);
    }
    setReply(null);
  }

  function findCommand(name) {
    return S.commands.find((c) => c.name.toLowerCase() === name.toLowerCase());
  }

  function parseOptions(command, rest) {
    const options = {};
    const defs = command.options || [];
    if (!rest) return options;
    const names = defs.map((o) => o.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    const named = names.length > 0 ? new RegExp("(?:^|\\s)(" + names.join("|") + "):", "g") : null;
    const marks = named ? [...rest.matchAll(named)] : [];
    if (marks.length > 0 && rest.slice(0, marks[0].index).trim() === "") {
      marks.forEach((mark, index) => {
        const start = mark.index + mark[0].length;
        const end = index + 1 < marks.length ? marks[index + 1].index : rest.length;
        options[mark[1]] = rest.slice(start, end).trim();
      });
      return options;
    }
    const first = defs.find((o) => o.required) || defs[0];
    if (!first) throw new Error("/" + command.name + " takes no options.");
    options[first.name] = rest;
    return options;
  }

  async function runCommand(text) {
    const match = /^\/(\S+)\s*([\s\S]*)$/.exec(text);
    const command = match && findCommand(match[1]);
    if (!command) throw new Error("Unknown command " + (match ? "/" + match[1] : text) + ". Type / to see the commands.");
    const options = parseOptions(command, match[2].trim());
    for (const option of command.options || []) {
      if (option.required && !options[option.name]) throw new Error("/" + command.name + " needs " + option.name + ": " + (option.description || ""));
    }
    const interaction = await call("POST", "/interactions", { channelId: S.current, userId: me(), commandName: command.name, options });
    if (interaction && interaction.id) S.interactions.set(String(interaction.id), { commandName: command.name, userId: String(me()) });
  }

  // ── option suggestions (autocomplete, answered by the bot itself) ───────────────────────────────────────────────
  // "/model sim" or "/model name: sim": the option being typed, when the command declares it with autocomplete.
  function typedOption(text) {
    const match = /^\/(\S+)\s+([\s\S]*)$/.exec(text);
    const command = match && findCommand(match[1]);
    if (!command || text.includes("\n")) return null;
    const rest = match[2];
    let name = null, value = rest;
    const defs = command.options || [];
    for (const def of defs) {
      const at = rest.lastIndexOf(def.name + ":");
      if (at >= 0 && (at === 0 || /\s/.test(rest[at - 1])) && (name === null || at > value.at)) {
        name = def.name;
        value = { at, text: rest.slice(at + def.name.length + 1).trimStart() };
      }
    }
    if (name !== null) value = value.text; else name = (defs.find((o) => o.required) || defs[0] || {}).name;
    const option = defs.find((o) => o.name === name);
    return option && option.autocomplete ? { command, option, value } : null;
  }

  function requestSuggestions(typed) {
    const key = typed.command.name + "|" + typed.option.name + "|" + typed.value;
    if (key === S.suggest.key) return;
    S.suggest.key = key;
    clearTimeout(S.suggest.timer);
    const seq = ++S.suggest.seq;
    S.suggest.timer = setTimeout(async () => {
      try {
        const created = await call("POST", "/interactions", {
          channelId: S.current, userId: me(), commandName: typed.command.name,
          options: { [typed.option.name]: typed.value }, focused: typed.option.name,
        });
        for (let attempt = 0; attempt < 30 && seq === S.suggest.seq; attempt++) {
          const interaction = await call("GET", "/interactions/" + created.id);
          if (interaction.autocompleteChoices) {
            if (seq === S.suggest.seq) showChoices(typed, interaction.autocompleteChoices);
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      } catch (e) {
        status("Suggestions failed: " + e.message, true);
      }
    }, 200);
  }

  function showChoices(typed, choices) {
    const now = typedOption($("composer").value);
    if (!now || now.command !== typed.command || now.option !== typed.option || now.value !== typed.value) return; // typed on meanwhile
    S.menu = choices.map((choice) => ({ choice, command: typed.command, option: typed.option }));
    S.menuIndex = 0;
    renderMenu();
  }

  // ── slash-command menu ──────────────────────────────────────────────────────────────────────────────────────────
  function updateMenu() {
    const text = $("composer").value;
    const option = typedOption(text);
    if (option) {
      if (S.menu.length > 0 && !S.menu[0].choice) hideMenu();
      requestSuggestions(option);
      return;
    }
    S.suggest.key = "";
    S.suggest.seq++;
    const match = /^\/(\S*)(\s?)/.exec(text);
    if (!match || text.includes("\n")) { hideMenu(); return; }
    const typed = match[1].toLowerCase();
    const exact = match[2] !== "";
    S.menu = S.commands.filter((c) => exact ? c.name.toLowerCase() === typed : c.name.toLowerCase().startsWith(typed));
    if (S.menu.length === 0) { hideMenu(); return; }
    S.menuIndex = Math.min(S.menuIndex, S.menu.length - 1);
    renderMenu();
  }

  function renderMenu() {
    if (S.menu.length === 0) { hideMenu(); return; }
    const menu = $("command-menu");
    menu.replaceChildren();
    S.menu.forEach((command, index) => {
      if (command.choice) {
        const choice = el("div", "command choice" + (index === S.menuIndex ? " selected" : ""));
        choice.setAttribute("role", "option");
        choice.dataset.value = String(command.choice.value);
        choice.append(el("span", "name", command.choice.name));
        choice.addEventListener("mousedown", (event) => { event.preventDefault(); complete(command); });
        menu.append(choice);
        return;
      }
      const item = el("div", "command" + (index === S.menuIndex ? " selected" : ""));
      item.setAttribute("role", "option");
      item.dataset.name = command.name;
      item.append(el("span", "name", "/" + command.name), el("span", "description", command.description));
      const options = command.options || [];
      if (options.length > 0) {
        const line = el("div", "options");
        options.forEach((option, i) => {
          if (i > 0) line.append(document.createTextNode("  "));
          line.append(el("span", "option" + (option.required ? " required" : ""), option.name + (option.required ? "" : "?") + ": " + (option.description || "")));
        });
        item.append(line);
      }
      item.addEventListener("mousedown", (event) => { event.preventDefault(); complete(command); });
      menu.append(item);
    });
    menu.hidden = false;
  }

  function hideMenu() {
    S.menu = [];
    S.menuIndex = 0;
    $("command-menu").hidden = true;
  }

  function complete(command) {
    const box = $("composer");
    if (command.choice) {
      box.value = "/" + command.command.name + " " + command.option.name + ": " + command.choice.value;
      S.suggest.key = "";
      S.suggest.seq++;
      hideMenu();
      box.focus();
      return;
    }
    box.value = "/" + command.name + " ";
    box.focus();
    updateMenu();
  }

  function autosize() {
    const box = $("composer");
    box.style.height = "auto";
    box.style.height = Math.min(box.scrollHeight, window.innerHeight * 0.4) + "px";
  }

  function onKeyDown(event) {
    const box = $("composer");
    const menuOpen = !$("command-menu").hidden && S.menu.length > 0;
    const typingName = /^\/\S*$/.test(box.value);
    if (menuOpen && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      S.menuIndex = (S.menuIndex + (event.key === "ArrowDown" ? 1 : S.menu.length - 1)) % S.menu.length;
      renderMenu();
      return;
    }
    if (menuOpen && event.key === "Tab") {
      event.preventDefault();
      complete(S.menu[S.menuIndex]);
      return;
    }
    if (event.key === "Escape") {
      if (menuOpen) hideMenu(); else setReply(null);
      return;
    }
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      if (menuOpen && S.menu[S.menuIndex].choice) {
        complete(S.menu[S.menuIndex]);
        return;
      }
      if (menuOpen && typingName) {
        const chosen = S.menu[S.menuIndex];
        const typed = box.value.slice(1).toLowerCase();
        if (chosen.name.toLowerCase() !== typed || (chosen.options || []).some((o) => o.required)) {
          complete(chosen);
          return;
        }
      }
      send();
    }
  }

  async function openDirectMessage() {
    try {
      const channel = await call("POST", "/dms", { userId: me(), botUserId: botId() });
      S.channels.set(String(channel.id), channel);
      await selectChannel(String(channel.id));
    } catch (e) {
      status("Could not open the DM: " + e.message, true);
    }
  }

  // ── start ───────────────────────────────────────────────────────────────────────────────────────────────────────
  function initialChannel() {
    const wanted = new URLSearchParams(location.search).get("channel");
    const channels = guildChannels();
    const byName = wanted && (channels.find((c) => c.name === wanted) || directMessages().find((c) => String(c.id) === wanted));
    if (byName) return String(byName.id);
    if (wanted && S.channels.has(wanted)) return wanted;
    if (S.info.channels && S.info.channels.general) return String(S.info.channels.general);
    const first = channels.filter((c) => c.kind === "Text").sort((a, b) => compareIds(a.id, b.id))[0];
    return first ? String(first.id) : null;
  }

  async function start() {
    $("composer").addEventListener("keydown", onKeyDown);
    $("composer").addEventListener("input", () => { autosize(); updateMenu(); });
    $("composer").addEventListener("blur", () => setTimeout(hideMenu, 150));
    $("composer-form").addEventListener("submit", (event) => { event.preventDefault(); send(); });
    $("mention-toggle").addEventListener("change", (event) => { if (S.current) S.mention.set(S.current, event.target.checked); });
    $("reply-cancel").addEventListener("click", () => setReply(null));
    $("open-dm").addEventListener("click", openDirectMessage);
    $("attach").addEventListener("click", () => $("file-input").click());
    $("file-input").addEventListener("change", (event) => { addFiles([...event.target.files]); event.target.value = ""; });
    try {
      S.info = await call("GET", "/sandbox/info");
    } catch (e) {
      status("This page needs the sandbox (cordial sandbox): " + e.message, true);
      return;
    }
    const model = S.info.simulatedModel ? "simulated model" : S.info.model ? "model " + S.info.model : "Discord emulator";
    $("sandbox-title").textContent = "Sandbox — " + model;
    document.title = "Cordial Sandbox — " + model;
    $("mention-label").textContent = "@mention " + (S.info.botName || "the bot");
    try {
      await loadState();
      await loadCommands();
    } catch (e) {
      status("Could not load the sandbox: " + e.message, true);
      return;
    }
    const channel = initialChannel();
    if (channel) await selectChannel(channel); else renderMessages(true);
    connectEvents();
  }

  document.addEventListener("DOMContentLoaded", start);
})();
"""";
}
