using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cordial.Emulator.Discord.Rest;

namespace Cordial.Emulator.Discord;

/// <summary>State operations behind the REST routes. Each takes the lock once and answers Discord JSON or throws <see cref="DiscordRestException"/>.</summary>
public sealed partial class DiscordEmulator
{
    private const int MaxCommandsPerScope = 100;

    internal JsonObject RestGetUser(ulong userId)
    {
        lock (_gate)
        {
            return _users.TryGetValue(userId, out var user) ? UserJson(user) : throw DiscordRestException.UnknownUser();
        }
    }

    internal JsonObject RestGetChannel(BotState bot, ulong channelId)
    {
        lock (_gate)
        {
            return ChannelJson(RequireVisibleChannelLocked(bot, channelId).Channel);
        }
    }

    internal JsonArray RestGetMessages(BotState bot, ulong channelId, ulong? before, ulong? after, ulong? around, int limit)
    {
        lock (_gate)
        {
            var channel = RequireVisibleChannelLocked(bot, channelId);
            var messages = channel.Messages.Values;
            List<EmulatedMessage> selected = [];
            if (around is { } center)
            {
                var start = channel.LowerBound(center);
                CollectBackward(messages, start - 1, limit / 2, selected);
                CollectForward(messages, start, limit - (limit / 2), selected);
            }
            else if (after is { } a)
            {
                CollectForward(messages, a == ulong.MaxValue ? messages.Count : channel.LowerBound(a + 1), limit, selected);
            }
            else
            {
                CollectBackward(messages, (before is { } b ? channel.LowerBound(b) : messages.Count) - 1, limit, selected);
            }

            return new JsonArray([.. selected.OrderByDescending(m => m.Id).Select(m => (JsonNode)MessageJson(m, gateway: false, includeContent: true))]);
        }
    }

    private static void CollectBackward(IList<EmulatedMessage> messages, int from, int count, List<EmulatedMessage> into)
    {
        for (var i = from; i >= 0 && count > 0; i--)
        {
            if (!messages[i].Deleted)
            {
                into.Add(messages[i]);
                count--;
            }
        }
    }

    private static void CollectForward(IList<EmulatedMessage> messages, int from, int count, List<EmulatedMessage> into)
    {
        for (var i = from; i < messages.Count && count > 0; i++)
        {
            if (!messages[i].Deleted)
            {
                into.Add(messages[i]);
                count--;
            }
        }
    }

    internal JsonObject RestGetMessage(BotState bot, ulong channelId, ulong messageId)
    {
        lock (_gate)
        {
            var channel = RequireVisibleChannelLocked(bot, channelId);
            return MessageJson(RequireLiveMessageLocked(channel, messageId), gateway: false, includeContent: true);
        }
    }

    internal JsonObject RestCreateMessage(BotState bot, ulong channelId, MessagePayload payload)
    {
        if (MessagePayloadParser.IsEmpty(payload))
        {
            throw DiscordRestException.EmptyMessage();
        }

        lock (_gate)
        {
            var channel = RequireVisibleChannelLocked(bot, channelId);
            if (channel.Channel.Kind is EmulatedChannelKind.Category or EmulatedChannelKind.Forum)
            {
                throw new DiscordRestException(400, 50008, "Cannot send messages in a non-text channel");
            }

            var draft = ToDraftLocked(channel, payload);
            return MessageJson(CreateMessageLocked(channel, bot.Bot.User.Id, draft, type: null, interactionId: null), gateway: false, includeContent: true);
        }
    }

    internal JsonObject RestEditMessage(BotState bot, ulong channelId, ulong messageId, MessagePayload payload)
    {
        lock (_gate)
        {
            var channel = RequireVisibleChannelLocked(bot, channelId);
            var message = RequireLiveMessageLocked(channel, messageId);
            if (message.AuthorId != bot.Bot.User.Id)
            {
                throw new DiscordRestException(403, 50005, "Cannot edit a message authored by another user");
            }

            var edit = ToEditLocked(channel, message, payload);
            return MessageJson(EditMessageLocked(channel, message, edit), gateway: false, includeContent: true);
        }
    }

    internal void RestDeleteMessage(BotState bot, ulong channelId, ulong messageId)
    {
        lock (_gate)
        {
            var channel = RequireVisibleChannelLocked(bot, channelId);
            DeleteMessageLocked(channel, RequireLiveMessageLocked(channel, messageId));
        }
    }

    internal void RestTyping(BotState bot, ulong channelId)
    {
        lock (_gate)
        {
            TriggerTypingLocked(RequireVisibleChannelLocked(bot, channelId), bot.Bot.User.Id);
        }
    }

    internal JsonObject RestCreateThread(BotState bot, ulong channelId, ulong? messageId, string? name, int? type)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            throw DiscordRestException.InvalidFormBody("name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.");
        }

        lock (_gate)
        {
            var channel = RequireVisibleChannelLocked(bot, channelId);
            if (channel.Channel.GuildId is null || channel.Channel.IsThread || channel.Channel.Kind == EmulatedChannelKind.Category)
            {
                throw new DiscordRestException(400, 50024, "Cannot execute action on this channel type");
            }

            EmulatedChannelKind kind;
            if (messageId is { } starter)
            {
                RequireLiveMessageLocked(channel, starter);
                if (_channels.ContainsKey(starter))
                {
                    throw new DiscordRestException(400, 160004, "A thread has already been created for this message");
                }

                kind = EmulatedChannelKind.PublicThread;
            }
            else
            {
                kind = (type ?? 12) switch
                {
                    11 => EmulatedChannelKind.PublicThread,
                    12 => EmulatedChannelKind.PrivateThread,
                    _ => throw DiscordRestException.InvalidFormBody("type", "BASE_TYPE_CHOICES", "Value must be one of (11, 12)."),
                };
            }

            var thread = CreateThreadLocked(channelId, name, bot.Bot.User.Id, messageId, kind);
            return ChannelJson(thread);
        }
    }

    internal JsonObject RestOpenDirectMessage(BotState bot, ulong recipientId)
    {
        lock (_gate)
        {
            if (!_users.ContainsKey(recipientId))
            {
                throw DiscordRestException.UnknownUser();
            }

            return ChannelJson(OpenDirectMessageLocked(recipientId, bot.Bot.User.Id));
        }
    }

    internal JsonObject RestGetGuild(ulong guildId)
    {
        lock (_gate)
        {
            return _guilds.TryGetValue(guildId, out var guild) ? GuildJson(guild, gatewayCreate: false) : throw DiscordRestException.UnknownGuild();
        }
    }

    internal JsonArray RestGetGuildChannels(ulong guildId)
    {
        lock (_gate)
        {
            var guild = _guilds.TryGetValue(guildId, out var g) ? g : throw DiscordRestException.UnknownGuild();
            return new JsonArray([.. guild.ChannelIds.Select(id => _channels[id].Channel).Where(c => !c.IsThread).Select(c => (JsonNode)ChannelJson(c))]);
        }
    }

    internal JsonArray RestGetGuildRoles(ulong guildId)
    {
        lock (_gate)
        {
            var guild = _guilds.TryGetValue(guildId, out var g) ? g : throw DiscordRestException.UnknownGuild();
            return new JsonArray([.. guild.Roles.Values.OrderBy(r => r.Position).Select(r => (JsonNode)RoleJson(r))]);
        }
    }

    internal JsonArray RestListMembers(ulong guildId, ulong after, int limit)
    {
        lock (_gate)
        {
            var guild = _guilds.TryGetValue(guildId, out var g) ? g : throw DiscordRestException.UnknownGuild();
            return new JsonArray([.. guild.Members.Values.Where(m => m.UserId > after).OrderBy(m => m.UserId).Take(limit)
                .Select(m => (JsonNode)MemberJson(guild, m, includeUser: true, includePermissions: false))]);
        }
    }

    internal void RestRequireThread(BotState bot, ulong channelId)
    {
        lock (_gate)
        {
            if (!RequireVisibleChannelLocked(bot, channelId).Channel.IsThread)
            {
                throw new DiscordRestException(400, 50024, "Cannot execute action on this channel type");
            }
        }
    }

    internal JsonObject RestGetMember(ulong guildId, ulong userId)
    {
        lock (_gate)
        {
            var guild = _guilds.TryGetValue(guildId, out var g) ? g : throw DiscordRestException.UnknownGuild();
            return guild.Members.TryGetValue(userId, out var member)
                ? MemberJson(guild, member, includeUser: true, includePermissions: false)
                : throw new DiscordRestException(404, 10007, "Unknown Member");
        }
    }

    internal MessageDraft ToInteractionDraft(EmulatedInteraction interaction, MessagePayload payload)
    {
        if (MessagePayloadParser.IsEmpty(payload))
        {
            throw DiscordRestException.EmptyMessage();
        }

        lock (_gate)
        {
            return ToDraftLocked(RequireChannelForRest(interaction.ChannelId), payload with { ReplyToMessageId = null });
        }
    }

    internal MessageEdit ToInteractionEdit(EmulatedInteraction interaction, string messageId, MessagePayload payload)
    {
        lock (_gate)
        {
            var (channel, message) = RequireInteractionMessageLocked(interaction, messageId);
            return ToEditLocked(channel, message, payload);
        }
    }

    internal JsonObject MessageJsonFor(EmulatedMessage message)
    {
        lock (_gate)
        {
            return MessageJson(message, gateway: false, includeContent: true);
        }
    }

    // ---- application commands ----

    internal JsonArray RestGetCommands(BotState bot, ulong applicationId, ulong? guildId)
    {
        lock (_gate)
        {
            var list = RequireCommandScopeLocked(bot, applicationId, guildId);
            return new JsonArray([.. list.Select(c => JsonNode.Parse(c.Json))]);
        }
    }

    internal JsonObject RestGetCommand(BotState bot, ulong applicationId, ulong? guildId, ulong commandId)
    {
        lock (_gate)
        {
            var command = RequireCommandScopeLocked(bot, applicationId, guildId).Find(c => c.Id == commandId) ?? throw DiscordRestException.UnknownCommand();
            return (JsonObject)JsonNode.Parse(command.Json)!;
        }
    }

    internal JsonArray RestOverwriteCommands(BotState bot, ulong applicationId, ulong? guildId, JsonArray body)
    {
        if (body.Count > MaxCommandsPerScope)
        {
            throw DiscordRestException.InvalidFormBody("_errors", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.");
        }

        lock (_gate)
        {
            var list = RequireCommandScopeLocked(bot, applicationId, guildId);
            List<EmulatedApplicationCommand> replaced = [];
            for (var i = 0; i < body.Count; i++)
            {
                if (body[i] is not JsonObject item)
                {
                    throw DiscordRestException.InvalidFormBody(i.ToString(CultureInfo.InvariantCulture), "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
                }

                var (name, type) = ValidateCommand(item, i.ToString(CultureInfo.InvariantCulture) + ".");
                if (replaced.Exists(c => c.Name == name && c.Type == type))
                {
                    throw new DiscordRestException(400, 50035, "Invalid Form Body",
                        new JsonObject { ["_errors"] = new JsonArray(new JsonObject { ["code"] = "APPLICATION_COMMANDS_DUPLICATE_NAME", ["message"] = "Application command names must be unique" }) });
                }

                var existingId = list.Find(c => c.Name == name && c.Type == type)?.Id;
                replaced.Add(BuildCommandLocked(applicationId, guildId, item, existingId ?? NextId()));
            }

            list.Clear();
            list.AddRange(replaced);
            Publish(new EmulatorEvent(EmulatorEventTypes.CommandsUpdated, Time.GetUtcNow()) { GuildId = guildId, UserId = bot.Bot.User.Id });
            return new JsonArray([.. replaced.Select(c => JsonNode.Parse(c.Json))]);
        }
    }

    internal (JsonObject Command, bool Created) RestUpsertCommand(BotState bot, ulong applicationId, ulong? guildId, JsonObject body)
    {
        lock (_gate)
        {
            var list = RequireCommandScopeLocked(bot, applicationId, guildId);
            var (name, type) = ValidateCommand(body, "");
            var index = list.FindIndex(c => c.Name == name && c.Type == type);
            if (index < 0 && list.Count >= MaxCommandsPerScope)
            {
                throw new DiscordRestException(400, 30032, "Maximum number of application commands reached (100)");
            }

            var command = BuildCommandLocked(applicationId, guildId, body, index >= 0 ? list[index].Id : NextId());
            if (index >= 0)
            {
                list[index] = command;
            }
            else
            {
                list.Add(command);
            }

            Publish(new EmulatorEvent(EmulatorEventTypes.CommandsUpdated, Time.GetUtcNow()) { GuildId = guildId, UserId = bot.Bot.User.Id });
            return ((JsonObject)JsonNode.Parse(command.Json)!, index < 0);
        }
    }

    internal JsonObject RestEditCommand(BotState bot, ulong applicationId, ulong? guildId, ulong commandId, JsonObject body)
    {
        lock (_gate)
        {
            var list = RequireCommandScopeLocked(bot, applicationId, guildId);
            var index = list.FindIndex(c => c.Id == commandId);
            if (index < 0)
            {
                throw DiscordRestException.UnknownCommand();
            }

            var merged = (JsonObject)JsonNode.Parse(list[index].Json)!;
            foreach (var (key, value) in body)
            {
                merged[key] = value?.DeepClone();
            }

            ValidateCommand(merged, "");
            list[index] = BuildCommandLocked(applicationId, guildId, merged, commandId);
            return (JsonObject)JsonNode.Parse(list[index].Json)!;
        }
    }

    internal void RestDeleteCommand(BotState bot, ulong applicationId, ulong? guildId, ulong commandId)
    {
        lock (_gate)
        {
            var list = RequireCommandScopeLocked(bot, applicationId, guildId);
            if (list.RemoveAll(c => c.Id == commandId) == 0)
            {
                throw DiscordRestException.UnknownCommand();
            }
        }
    }

    private List<EmulatedApplicationCommand> RequireCommandScopeLocked(BotState bot, ulong applicationId, ulong? guildId)
    {
        if (applicationId != bot.Bot.ApplicationId)
        {
            throw DiscordRestException.MissingAccess();
        }

        if (guildId is { } g && !_guilds.ContainsKey(g))
        {
            throw DiscordRestException.UnknownGuild();
        }

        var key = (applicationId, guildId ?? 0);
        if (!_commands.TryGetValue(key, out var list))
        {
            list = [];
            _commands[key] = list;
        }

        return list;
    }

    private static (string Name, int Type) ValidateCommand(JsonObject body, string prefix)
    {
        var type = body["type"] is JsonValue t && t.TryGetValue<int>(out var typeValue) ? typeValue : 1;
        if (type is < 1 or > 4)
        {
            throw DiscordRestException.InvalidFormBody(prefix + "type", "BASE_TYPE_CHOICES", "Value must be one of (1, 2, 3, 4).");
        }

        var name = body["name"] is JsonValue n && n.TryGetValue<string>(out var nameValue) ? nameValue : null;
        if (name is null || name.Length is < 1 or > 32 || (type == 1 && !CommandNamePattern().IsMatch(name)))
        {
            throw DiscordRestException.InvalidFormBody(prefix.TrimEnd('.') is { Length: > 0 } p ? p + ".name" : "name",
                "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid");
        }

        var description = body["description"] is JsonValue d && d.TryGetValue<string>(out var descriptionValue) ? descriptionValue : "";
        if (type == 1 && description.Length is < 1 or > 100)
        {
            throw DiscordRestException.InvalidFormBody(prefix + "description", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.");
        }

        if (body["options"] is JsonArray options && options.Count > 25)
        {
            throw DiscordRestException.InvalidFormBody(prefix + "options", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
        }

        return (name, type);
    }

    private EmulatedApplicationCommand BuildCommandLocked(ulong applicationId, ulong? guildId, JsonObject body, ulong id)
    {
        var json = (JsonObject)body.DeepClone();
        json["id"] = Id(id);
        json["application_id"] = Id(applicationId);
        json["version"] = Id(NextId());
        json["type"] ??= 1;
        json["description"] ??= "";
        json["default_member_permissions"] ??= null;
        json["nsfw"] ??= false;
        if (guildId is { } g)
        {
            json["guild_id"] = Id(g);
        }
        else
        {
            json.Remove("guild_id");
            json["integration_types"] ??= new JsonArray(0);
        }

        var options = json["options"] as JsonArray ?? [];
        return new EmulatedApplicationCommand(id, applicationId, guildId, (string)json["name"]!, (string?)json["description"] ?? "",
            json["type"]!.GetValue<int>(), options.ToJsonString(), json.ToJsonString());
    }

    private ChannelState RequireVisibleChannelLocked(BotState bot, ulong channelId)
    {
        var channel = RequireChannelForRest(channelId);
        if (channel.Channel.GuildId is null && !channel.Channel.RecipientIds.Contains(bot.Bot.User.Id))
        {
            throw DiscordRestException.MissingAccess();
        }

        return channel;
    }

    private static EmulatedMessage RequireLiveMessageLocked(ChannelState channel, ulong messageId) =>
        channel.Messages.TryGetValue(messageId, out var message) && !message.Deleted ? message : throw DiscordRestException.UnknownMessage();

    private MessageDraft ToDraftLocked(ChannelState channel, MessagePayload payload)
    {
        ulong? replyTo = null;
        if (payload.ReplyToMessageId is { } target)
        {
            if (channel.Messages.TryGetValue(target, out var parent) && !parent.Deleted)
            {
                replyTo = target;
            }
            else if (payload.FailIfReplyMissing)
            {
                throw DiscordRestException.InvalidFormBody("message_reference", "REPLIES_UNKNOWN_MESSAGE", "Unknown message");
            }
        }

        return new MessageDraft(
            payload.Content ?? "",
            payload.EmbedsJson ?? "[]",
            payload.Flags ?? 0,
            payload.AllowedMentionsJson,
            payload.ComponentsJson,
            replyTo,
            StoreFilesLocked(channel, payload));
    }

    private MessageEdit ToEditLocked(ChannelState channel, EmulatedMessage message, MessagePayload payload)
    {
        IReadOnlyList<EmulatedAttachment>? attachments = null;
        if (payload.AttachmentsJson is not null || payload.Files.Count > 0)
        {
            var kept = payload.AttachmentsJson is null
                ? message.Attachments
                : [.. message.Attachments.Where(a => payload.AttachmentsJson.OfType<JsonObject>().Any(o => MessagePayloadParser.ReadSnowflake(o, "id") == a.Id))];
            attachments = [.. kept, .. StoreFilesLocked(channel, payload)];
        }

        var edit = new MessageEdit(payload.Content, payload.EmbedsJson, payload.Flags, payload.AllowedMentionsJson, payload.ComponentsJson, attachments);
        var content = edit.Content ?? message.Content;
        var embeds = edit.EmbedsJson ?? message.Embeds;
        var components = edit.ComponentsJson ?? message.Components;
        if (content.Length == 0 && embeds == "[]" && (attachments ?? message.Attachments).Count == 0 && components is null or "[]"
            && (message.Flags & 128) == 0)
        {
            throw DiscordRestException.EmptyMessage();
        }

        return edit;
    }

    private List<EmulatedAttachment> StoreFilesLocked(ChannelState channel, MessagePayload payload)
    {
        List<EmulatedAttachment> stored = [];
        foreach (var file in payload.Files)
        {
            var filename = file.Filename;
            var described = payload.AttachmentsJson?.OfType<JsonObject>()
                .FirstOrDefault(o => o["id"] is JsonValue v && v.ToJsonString().Trim('"') == file.Index.ToString(CultureInfo.InvariantCulture));
            if (described?["filename"] is JsonValue name && name.TryGetValue<string>(out var nameText) && nameText.Length > 0)
            {
                filename = nameText;
            }

            stored.Add(StoreAttachmentLocked(channel.Channel.Id, filename, file.ContentType, file.Data));
        }

        return stored;
    }

    [GeneratedRegex(@"^[-_'\p{Ll}\p{Lo}\p{N}]{1,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex CommandNamePattern();
}
