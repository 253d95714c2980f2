// An independent discord.js bot used by tests/Cordial.Interop.Tests to check Cordial's Discord emulator.
//
// It talks to the emulator exactly as a real bot talks to Discord: REST under CORDIAL_API (discord.js appends /v10),
// the gateway URL from GET /gateway/bot. Every notable event becomes one JSON line on stdout; discord.js debug
// output and REST traffic go to stderr. The test decides what is right; this script only reports what it saw.
//
// Environment:
//   CORDIAL_API               REST root without the version, e.g. http://127.0.0.1:5000/api (required)
//   CORDIAL_TOKEN             bot token (required)
//   CORDIAL_COMPRESSION       "none" (default) or "zlib-stream" (needs the optional native module zlib-sync)
//   CORDIAL_MARKER            text that makes a human's message get the reply flow below (default "!interop")
//   CORDIAL_REPLY_TEXT        the reply's first content (default "interop reply")
//   CORDIAL_EDIT_TEXT         the content the reply is then edited to (default "interop edited")
//   CORDIAL_HISTORY_LIMIT     how many messages of channel history to fetch after the edit (default 10)
//   CORDIAL_COMMAND           when set, register this global slash command (bulk overwrite) and answer it; its
//                            "text" option autocompletes: interaction.respond() suggests the typed text and "fixed"
//   CORDIAL_COMMAND_MODE      "reply": interaction.reply(REPLY); "defer": deferReply() then editReply(REPLY) (default "reply")
//   CORDIAL_COMMAND_REPLY     first answer (default "interop command reply")
//   CORDIAL_COMMAND_EDIT      then editReply with this (default "interop command edited")
//   CORDIAL_COMMAND_FOLLOWUP  then followUp with this (default "interop command follow-up")
//   CORDIAL_TIMEOUT_MS        give up (exit 2) after this long (default 60000)
//
// What a human's message (never a bot's) makes the bot do:
//   contains CORDIAL_MARKER  download each attachment, sendTyping, message.reply, edit the reply (content + one
//                            embed), fetch the channel history, then print "done"
//   contains "!burst N"      send N messages to the channel at once (rate-limit check)
//   contains "!long N"       send N characters of content (length-limit check)
//   contains "!delete"       send a message, delete it, fetch the history
//
// Standard input: a line "exit" (or end of input) destroys the client and exits 0.
// Exit codes: 0 told to exit, 1 error, 2 timed out, 3 requested compression unavailable.

import { createRequire } from 'node:module';
import process from 'node:process';
import readline from 'node:readline';
import { createHash } from 'node:crypto';
import { ApplicationCommandOptionType, Client, Events, GatewayIntentBits, Partials, RESTEvents } from 'discord.js';

const require = createRequire(import.meta.url);
// The CommonJS build is the instance discord.js itself loads, so the strategy below is the one it expects.
const { CompressionMethod, SimpleShardingStrategy } = require('@discordjs/ws');

const env = (name, fallback) => {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
};

const api = env('CORDIAL_API');
const token = env('CORDIAL_TOKEN');
const compression = env('CORDIAL_COMPRESSION', 'none');
const marker = env('CORDIAL_MARKER', '!interop');
const replyText = env('CORDIAL_REPLY_TEXT', 'interop reply');
const editText = env('CORDIAL_EDIT_TEXT', 'interop edited');
const historyLimit = Number.parseInt(env('CORDIAL_HISTORY_LIMIT', '10'), 10);
const commandName = env('CORDIAL_COMMAND');
const commandReply = env('CORDIAL_COMMAND_REPLY', 'interop command reply');
const commandEdit = env('CORDIAL_COMMAND_EDIT', 'interop command edited');
const commandFollowUp = env('CORDIAL_COMMAND_FOLLOWUP', 'interop command follow-up');
const commandMode = env('CORDIAL_COMMAND_MODE', 'reply');
const burstPattern = /!burst (\d+)/;
const longPattern = /!long (\d+)/;
const embedTitle = 'interop embed';
const timeoutMs = Number.parseInt(env('CORDIAL_TIMEOUT_MS', '60000'), 10);

const emit = (event, fields = {}) => {
  process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);
};

const trace = (text) => {
  process.stderr.write(`${text}\n`);
};

let client;
let exiting = false;

const exit = async (code) => {
  if (exiting) {
    return;
  }

  exiting = true;
  try {
    await client?.destroy();
  } catch (error) {
    trace(`destroy failed: ${error?.stack ?? error}`);
  }

  process.exit(code);
};

const fail = (where, error) => {
  emit('error', {
    where,
    message: String(error?.message ?? error),
    status: error?.status ?? null,
    code: error?.code ?? null,
    method: error?.method ?? null,
    url: error?.url ?? null,
  });
  trace(`${where}: ${error?.stack ?? error}`);
  void exit(1);
};

if (!api || !token) {
  fail('configuration', new Error('CORDIAL_API and CORDIAL_TOKEN must be set'));
} else if (compression !== 'none' && compression !== 'zlib-stream') {
  fail('configuration', new Error(`CORDIAL_COMPRESSION must be "none" or "zlib-stream", not "${compression}"`));
} else if (commandMode !== 'reply' && commandMode !== 'defer') {
  fail('configuration', new Error(`CORDIAL_COMMAND_MODE must be "reply" or "defer", not "${commandMode}"`));
} else {
  let zlibSyncAvailable = true;
  try {
    require('zlib-sync');
  } catch {
    zlibSyncAvailable = false;
  }

  if (compression === 'zlib-stream' && !zlibSyncAvailable) {
    emit('unsupported', { compression, reason: 'the optional native module zlib-sync is not installed' });
    process.exit(3);
  }

  start();
}

function start() {
  process.on('unhandledRejection', (error) => fail('unhandledRejection', error));
  process.on('uncaughtException', (error) => fail('uncaughtException', error));

  const timer = setTimeout(() => {
    emit('timeout', { afterMs: timeoutMs });
    void exit(2);
  }, timeoutMs);
  timer.unref();

  const input = readline.createInterface({ input: process.stdin });
  input.on('line', (line) => {
    if (line.trim() === 'exit') {
      void exit(0);
    }
  });
  input.on('close', () => void exit(0));

  // What the gateway connection really used, read back from @discordjs/ws's own debug lines.
  const gateway = { url: null, compression: null };

  client = new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.MessageContent,
      GatewayIntentBits.DirectMessages,
    ],
    // As discord.js asks for DMs: a DM channel is not cached before its first MESSAGE_CREATE.
    partials: [Partials.Channel],
    rest: { api },
    ws: {
      // discord.js turns zlib-stream on whenever zlib-sync is installed; pin the mode the test asked for.
      buildStrategy: (manager) => {
        manager.options.compression = compression === 'zlib-stream' ? CompressionMethod.ZlibStream : null;
        return new SimpleShardingStrategy(manager);
      },
    },
  });

  client.on(Events.Debug, (message) => {
    trace(`[debug] ${message}`);
    const connecting = /Connecting to (\S+)/.exec(message);
    if (connecting) {
      gateway.url = connecting[1];
    }

    if (message.includes('Heartbeat acknowledged')) {
      emit('heartbeatAck');
    }

    const identifying = /compression: (\S+)/.exec(message);
    if (identifying) {
      gateway.compression = identifying[1];
    }
  });
  client.on(Events.Raw, (packet) => {
    if (packet.t) {
      const data = packet.d ?? {};
      trace(`[gateway] ${packet.t} s=${packet.s} keys=${Object.keys(data).sort().join(',')}`);
    }
  });
  client.on(Events.Warn, (message) => trace(`[warn] ${message}`));
  client.on(Events.Error, (error) => fail('client', error));
  client.on(Events.ShardDisconnect, (event, shardId) => emit('shardDisconnect', { shardId, code: event.code }));
  client.on(Events.ShardReady, (shardId) => emit('shardReady', { shardId }));
  client.on(Events.ShardReconnecting, (shardId) => emit('shardReconnecting', { shardId }));
  client.on(Events.ShardResume, (shardId, replayed) => emit('shardResume', { shardId, replayed }));

  client.rest.on(RESTEvents.Response, (request, response) => {
    trace(`[rest] ${request.method} ${request.path} -> ${response.status}`);
  });
  client.rest.on(RESTEvents.RateLimited, (info) => {
    emit('rateLimited', {
      route: info.route,
      method: info.method,
      global: info.global,
      retryAfter: info.retryAfter,
      limit: info.limit,
    });
  });

  client.once(Events.ClientReady, async (ready) => {
    try {
      emit('ready', {
        userId: ready.user.id,
        username: ready.user.username,
        bot: ready.user.bot,
        applicationId: ready.application?.id ?? null,
        gatewayUrl: gateway.url,
        compression: gateway.compression,
        guilds: ready.guilds.cache.map((guild) => ({
          id: guild.id,
          name: guild.name,
          available: guild.available,
          channels: guild.channels.cache.map((channel) => ({ id: channel.id, name: channel.name, type: channel.type })),
        })),
      });

      if (commandName) {
        const commands = await ready.application.commands.set([
          {
            name: commandName,
            description: 'Cordial interop check',
            options: [
              {
                type: ApplicationCommandOptionType.String,
                name: 'text',
                description: 'Some text',
                required: false,
                autocomplete: true,
              },
            ],
          },
        ]);
        emit('commands', { commands: commands.map((command) => ({ id: command.id, name: command.name })) });
      }
    } catch (error) {
      fail('ready', error);
    }
  });

  client.on(Events.MessageCreate, async (message) => {
    try {
      emit('message', {
        id: message.id,
        channelId: message.channelId,
        channelName: message.channel?.name ?? null,
        channelType: message.channel?.type ?? null,
        channelPartial: message.channel?.partial ?? null,
        isThread: message.channel?.isThread() ?? null,
        parentId: message.channel?.parentId ?? null,
        guildId: message.guildId,
        authorId: message.author.id,
        authorBot: message.author.bot,
        content: message.content,
        referenceMessageId: message.reference?.messageId ?? null,
        mentionsBot: message.mentions.users.has(client.user.id),
        attachments: [...message.attachments.values()].map((item) => ({
          id: item.id,
          name: item.name,
          size: item.size,
          contentType: item.contentType,
          url: item.url,
        })),
      });

      if (message.author.bot) {
        return;
      }

      const burst = burstPattern.exec(message.content);
      if (burst) {
        // Sent all at once: @discordjs/rest must queue them by the emulator's rate-limit headers.
        const count = Number.parseInt(burst[1], 10);
        const sends = [];
        for (let index = 1; index <= count; index++) {
          sends.push(message.channel.send({ content: `burst ${index} of ${count}`, allowedMentions: { parse: [] } }));
        }

        const sent = await Promise.all(sends);
        emit('burstDone', { ids: sent.map((item) => item.id), contents: sent.map((item) => item.content) });
        return;
      }

      const long = longPattern.exec(message.content);
      if (long) {
        // Discord's limit is 2000 characters of content: one more must come back as a 400 with code 50035.
        const length = Number.parseInt(long[1], 10);
        try {
          const sent = await message.channel.send({ content: 'x'.repeat(length), allowedMentions: { parse: [] } });
          emit('longResult', { length, ok: true, id: sent.id, sentLength: sent.content.length });
        } catch (error) {
          emit('longResult', { length, ok: false, status: error?.status ?? null, code: error?.code ?? null, message: String(error?.message ?? error) });
        }

        return;
      }

      if (message.content.includes('!delete')) {
        // Post, delete, then read the history back: the deleted message must be gone from it.
        const temporary = await message.channel.send({ content: 'about to be deleted', allowedMentions: { parse: [] } });
        await temporary.delete();
        const after = await message.channel.messages.fetch({ limit: historyLimit, cache: false });
        emit('deleteDone', { id: temporary.id, historyIds: [...after.keys()] });
        return;
      }

      if (!message.content.includes(marker)) {
        return;
      }

      // What an LLM bot does with an image: download it from the attachment URL.
      for (const attachment of message.attachments.values()) {
        const response = await fetch(attachment.url);
        const bytes = Buffer.from(await response.arrayBuffer());
        emit('attachmentFetched', {
          id: attachment.id,
          status: response.status,
          contentType: response.headers.get('content-type'),
          length: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
        });
      }

      await message.channel.sendTyping();
      emit('typing', { channelId: message.channelId });

      const reply = await message.reply({
        content: replyText,
        allowedMentions: { parse: [], repliedUser: false },
      });
      emit('replied', {
        id: reply.id,
        content: reply.content,
        type: reply.type,
        referenceMessageId: reply.reference?.messageId ?? null,
        authorId: reply.author.id,
      });

      const edited = await reply.edit({ content: editText, embeds: [{ title: embedTitle, description: 'added by the edit' }] });
      emit('edited', {
        id: edited.id,
        content: edited.content,
        edited: edited.editedTimestamp !== null,
        embedTitles: edited.embeds.map((embed) => embed.title),
      });

      const history = await message.channel.messages.fetch({ limit: historyLimit });
      emit('history', {
        limit: historyLimit,
        messages: [...history.values()].map((item) => ({
          id: item.id,
          authorId: item.author.id,
          content: item.content,
          referenceMessageId: item.reference?.messageId ?? null,
        })),
      });

      emit('done', { replyId: reply.id, messageId: message.id });
    } catch (error) {
      fail('messageCreate', error);
    }
  });

  client.on(Events.InteractionCreate, async (interaction) => {
    try {
      if (interaction.isAutocomplete()) {
        const focused = interaction.options.getFocused(true);
        const choices = [{ name: `typed: ${focused.value}`, value: focused.value || 'empty' }, { name: 'fixed', value: 'fixed' }];
        await interaction.respond(choices);
        emit('autocompleted', { id: interaction.id, commandName: interaction.commandName, focused: focused.name, value: focused.value, choices });
        return;
      }

      if (!interaction.isChatInputCommand()) {
        emit('interaction', { id: interaction.id, type: interaction.type, handled: false });
        return;
      }

      emit('interaction', {
        id: interaction.id,
        type: interaction.type,
        handled: interaction.commandName === commandName,
        commandName: interaction.commandName,
        commandId: interaction.commandId,
        userId: interaction.user.id,
        channelId: interaction.channelId,
        guildId: interaction.guildId,
        text: interaction.options.getString('text'),
      });

      if (interaction.commandName !== commandName) {
        return;
      }

      let callbackMessageId = null;
      if (commandMode === 'defer') {
        await interaction.deferReply();
        const first = await interaction.editReply({ content: commandReply, allowedMentions: { parse: [] } });
        callbackMessageId = first.id;
      } else {
        await interaction.reply({ content: commandReply, allowedMentions: { parse: [] } });
      }

      emit('interactionReplied', { id: interaction.id, mode: commandMode, messageId: callbackMessageId });

      const edited = await interaction.editReply({ content: commandEdit });
      emit('interactionEdited', { id: interaction.id, messageId: edited.id, content: edited.content });

      const followUp = await interaction.followUp({ content: commandFollowUp, allowedMentions: { parse: [] } });
      emit('interactionFollowUp', { id: interaction.id, messageId: followUp.id, content: followUp.content });

      emit('interactionDone', { id: interaction.id, messageId: edited.id, followUpId: followUp.id });
    } catch (error) {
      fail('interactionCreate', error);
    }
  });

  client.login(token).catch((error) => fail('login', error));
}
