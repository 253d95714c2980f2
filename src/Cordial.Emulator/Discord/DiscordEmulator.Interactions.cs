using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Cordial.Emulator.Discord;

/// <summary>Slash commands: registration, INTERACTION_CREATE, callbacks, original response and follow-ups.</summary>
public sealed partial class DiscordEmulator
{
    private const int MaxInteractions = 10_000;
    private static readonly TimeSpan InitialResponseWindow = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan InteractionTokenLifetime = TimeSpan.FromMinutes(15);

    private readonly Dictionary<(ulong ApplicationId, ulong GuildId), List<EmulatedApplicationCommand>> _commands = [];
    private readonly Dictionary<ulong, EmulatedInteraction> _interactions = [];
    private readonly Dictionary<string, EmulatedInteraction> _interactionsByToken = new(StringComparer.Ordinal);
    private readonly Queue<ulong> _interactionOrder = new();

    /// <summary>
    /// Runs a slash command as a user: dispatches INTERACTION_CREATE to the bot that registered the command
    /// (guild commands first, then global; the only bot when none registered it). The returned interaction
    /// records the bot's callback, edits and follow-ups as they happen.
    /// </summary>
    public Task<EmulatedInteraction> RunSlashCommandAsync(ulong channelId, ulong userId, string commandName, IReadOnlyDictionary<string, object?>? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commandName);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(CreateInteraction(channelId, userId, commandName, options, focused: null));
    }

    /// <summary>
    /// A user typing an option of a slash command: dispatches INTERACTION_CREATE of type 4
    /// (APPLICATION_COMMAND_AUTOCOMPLETE) whose <c>data.options</c> carry the other options' values and
    /// <paramref name="focusedOption"/> with the partial text <paramref name="typed"/> and <c>focused: true</c>.
    /// The bot answers with callback type 8; <see cref="EmulatedInteraction.AutocompleteChoices"/> then holds its choices.
    /// </summary>
    public Task<EmulatedInteraction> RunAutocompleteAsync(
        ulong channelId, ulong userId, string commandName, string focusedOption, string typed,
        IReadOnlyDictionary<string, object?>? otherOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commandName);
        ArgumentException.ThrowIfNullOrWhiteSpace(focusedOption);
        ArgumentNullException.ThrowIfNull(typed);
        cancellationToken.ThrowIfCancellationRequested();
        var options = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in otherOptions ?? new Dictionary<string, object?>())
        {
            options[name] = value;
        }

        options[focusedOption] = typed;
        return Task.FromResult(CreateInteraction(channelId, userId, commandName, options, focusedOption));
    }

    private EmulatedInteraction CreateInteraction(ulong channelId, ulong userId, string commandName, IReadOnlyDictionary<string, object?>? options, string? focused)
    {
        EmulatedInteraction interaction;
        lock (_gate)
        {
            var user = RequireUser(userId);
            var channel = RequireChannel(channelId);
            var guildId = channel.Channel.GuildId;
            var (bot, command) = FindCommandLocked(commandName, guildId);
            if (focused is not null && command is not null && !DeclaresAutocomplete(command, focused))
            {
                throw new ArgumentException($"The option '{focused}' of /{commandName} is not declared with autocomplete: Discord would not ask the bot.", nameof(focused));
            }

            var optionsJson = BuildOptions(command, options, focused);
            var token = "aW50ZXJhY3Rpb246" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            interaction = new EmulatedInteraction(NextId(), token, bot.Bot, channelId, guildId, user.Id,
                command?.Id ?? NextId(), commandName, Utf8Text(optionsJson), Time.GetUtcNow(), focused);
            _interactions[interaction.Id] = interaction;
            _interactionsByToken[token] = interaction;
            _interactionOrder.Enqueue(interaction.Id);
            while (_interactionOrder.Count > MaxInteractions)
            {
                if (_interactions.Remove(_interactionOrder.Dequeue(), out var old))
                {
                    _interactionsByToken.Remove(old.Token);
                }
            }

            if (guildId is { } g)
            {
                _guilds[g].Members.TryAdd(userId, new MemberState(userId, Time.GetUtcNow()));
            }

            var payload = Utf8(InteractionJson(interaction, optionsJson, command));
            foreach (var session in _sessions.Values)
            {
                if (session.Bot == bot && (guildId is { } sg ? session.OwnsGuild(sg) : session.OwnsDirectMessages))
                {
                    session.Dispatch("INTERACTION_CREATE", payload);
                }
            }

            Publish(new EmulatorEvent(EmulatorEventTypes.InteractionCreated, Time.GetUtcNow())
            {
                GuildId = guildId,
                ChannelId = channelId,
                UserId = userId,
                InteractionId = interaction.Id,
            });
        }

        return interaction;
    }

    /// <summary>An interaction by id, or null.</summary>
    public EmulatedInteraction? GetInteraction(ulong interactionId)
    {
        lock (_gate)
        {
            return _interactions.GetValueOrDefault(interactionId);
        }
    }

    internal EmulatedInteraction RequireInteraction(ulong id, string token)
    {
        lock (_gate)
        {
            if (!_interactions.TryGetValue(id, out var interaction) || !string.Equals(interaction.Token, token, StringComparison.Ordinal))
            {
                throw DiscordRestException.UnknownInteraction();
            }

            return interaction;
        }
    }

    internal EmulatedInteraction RequireInteractionWebhook(ulong applicationId, string token)
    {
        lock (_gate)
        {
            if (!_interactionsByToken.TryGetValue(token, out var interaction) || interaction.ApplicationId != applicationId
                || interaction.FocusedOption is not null)
            {
                throw DiscordRestException.UnknownWebhook();
            }

            if (Time.GetUtcNow() - interaction.CreatedAt > InteractionTokenLifetime)
            {
                throw new DiscordRestException(401, 50027, "Invalid Webhook Token");
            }

            return interaction;
        }
    }

    /// <summary>
    /// POST /interactions/{id}/{token}/callback. Returns the message created (types 4 and 5), if any. Autocomplete
    /// requests accept only type 8 with <paramref name="choices"/> (validated by the caller); slash commands never.
    /// </summary>
    internal EmulatedMessage? RespondToInteraction(EmulatedInteraction interaction, int type, MessageDraft? draft, IReadOnlyList<EmulatedAutocompleteChoice>? choices = null)
    {
        lock (_gate)
        {
            if (interaction.Acknowledged)
            {
                throw new DiscordRestException(400, 40060, "Interaction has already been acknowledged.");
            }

            if (Time.GetUtcNow() - interaction.CreatedAt > InitialResponseWindow)
            {
                throw DiscordRestException.UnknownInteraction();
            }

            if (interaction.FocusedOption is not null ? type != 8 : type is not (4 or 5 or 9 or 10))
            {
                throw DiscordRestException.InvalidFormBody("type", "INTERACTION_CALLBACK_TYPE_INVALID",
                    interaction.FocusedOption is not null
                        ? "An autocomplete interaction is answered with callback type 8."
                        : "Invalid interaction callback type for an application command.");
            }

            var channel = RequireChannel(interaction.ChannelId);
            EmulatedMessage? message = null;
            if (type == 4)
            {
                if (draft is null)
                {
                    throw DiscordRestException.EmptyMessage();
                }

                message = CreateMessageLocked(channel, interaction.BotUserId, draft with { ReplyToMessageId = null }, type: 20, interaction.Id);
            }
            else if (type == 5)
            {
                var flags = 128 | ((draft?.Flags ?? 0) & 64);
                message = CreateMessageLocked(channel, interaction.BotUserId, new MessageDraft("", "[]", flags, null, null, null, []), type: 20, interaction.Id);
            }

            var response = new EmulatedInteractionResponse(EmulatedInteractionResponseKind.Callback, type, draft?.Content, draft?.EmbedsJson ?? "[]",
                draft?.Flags ?? 0, message?.Id, Time.GetUtcNow())
            {
                Choices = type == 8 ? choices ?? [] : null,
            };
            if (!interaction.TryAcknowledge(response, message?.Id))
            {
                throw new DiscordRestException(400, 40060, "Interaction has already been acknowledged.");
            }

            PublishInteractionResponse(interaction, response);
            return message;
        }
    }

    /// <summary>PATCH or GET target of a webhook message route: "@original" or a follow-up id.</summary>
    internal (ChannelState Channel, EmulatedMessage Message) RequireInteractionMessageLocked(EmulatedInteraction interaction, string messageId)
    {
        var channel = RequireChannelForRest(interaction.ChannelId);
        ulong id;
        if (messageId == "@original")
        {
            id = interaction.OriginalMessageId ?? throw DiscordRestException.UnknownMessage();
        }
        else if (!ulong.TryParse(messageId, NumberStyles.None, CultureInfo.InvariantCulture, out id))
        {
            throw DiscordRestException.UnknownMessage();
        }

        if (!channel.Messages.TryGetValue(id, out var message) || message.Deleted || message.InteractionId != interaction.Id)
        {
            throw DiscordRestException.UnknownMessage();
        }

        return (channel, message);
    }

    internal EmulatedMessage GetInteractionMessage(EmulatedInteraction interaction, string messageId)
    {
        lock (_gate)
        {
            return RequireInteractionMessageLocked(interaction, messageId).Message;
        }
    }

    internal EmulatedMessage EditInteractionMessage(EmulatedInteraction interaction, string messageId, MessageEdit edit)
    {
        lock (_gate)
        {
            var (channel, message) = RequireInteractionMessageLocked(interaction, messageId);
            edit = edit with { Flags = (edit.Flags ?? message.Flags) & ~128 | (message.Flags & 64) };
            var updated = EditMessageLocked(channel, message, edit);
            var kind = messageId == "@original" || interaction.OriginalMessageId == message.Id
                ? EmulatedInteractionResponseKind.EditOriginal
                : EmulatedInteractionResponseKind.EditFollowUp;
            var response = new EmulatedInteractionResponse(kind, null, updated.Content, updated.Embeds, updated.Flags, updated.Id, Time.GetUtcNow());
            interaction.Record(response);
            PublishInteractionResponse(interaction, response);
            return updated;
        }
    }

    internal void DeleteInteractionMessage(EmulatedInteraction interaction, string messageId)
    {
        lock (_gate)
        {
            var (channel, message) = RequireInteractionMessageLocked(interaction, messageId);
            DeleteMessageLocked(channel, message);
            var response = new EmulatedInteractionResponse(EmulatedInteractionResponseKind.Delete, null, null, "[]", 0, message.Id, Time.GetUtcNow());
            interaction.Record(response);
            PublishInteractionResponse(interaction, response);
        }
    }

    internal EmulatedMessage FollowUp(EmulatedInteraction interaction, MessageDraft draft)
    {
        lock (_gate)
        {
            if (!interaction.Acknowledged)
            {
                throw DiscordRestException.UnknownWebhook();
            }

            var channel = RequireChannelForRest(interaction.ChannelId);
            var message = CreateMessageLocked(channel, interaction.BotUserId, draft with { ReplyToMessageId = null }, type: 20, interaction.Id);
            var response = new EmulatedInteractionResponse(EmulatedInteractionResponseKind.FollowUp, null, message.Content, message.Embeds, message.Flags, message.Id, Time.GetUtcNow());
            interaction.Record(response);
            PublishInteractionResponse(interaction, response);
            return message;
        }
    }

    private void PublishInteractionResponse(EmulatedInteraction interaction, EmulatedInteractionResponse response) =>
        Publish(new EmulatorEvent(EmulatorEventTypes.InteractionResponse, response.At)
        {
            GuildId = interaction.GuildId,
            ChannelId = interaction.ChannelId,
            UserId = interaction.BotUserId,
            InteractionId = interaction.Id,
            MessageId = response.MessageId,
            InteractionResponse = response,
        });

    private (BotState Bot, EmulatedApplicationCommand? Command) FindCommandLocked(string name, ulong? guildId)
    {
        foreach (var bot in _botsById.Values.OrderBy(b => b.Bot.User.Id))
        {
            if (guildId is { } g && _commands.TryGetValue((bot.Bot.ApplicationId, g), out var guildCommands)
                && guildCommands.Find(c => c.Name == name) is { } guildCommand)
            {
                return (bot, guildCommand);
            }
        }

        foreach (var bot in _botsById.Values.OrderBy(b => b.Bot.User.Id))
        {
            if (_commands.TryGetValue((bot.Bot.ApplicationId, 0), out var globalCommands)
                && globalCommands.Find(c => c.Name == name) is { } globalCommand)
            {
                return (bot, globalCommand);
            }
        }

        return _botsById.Count == 1
            ? (_botsById.Values.First(), null)
            : throw new ArgumentException($"No bot registered the command '{name}'.", nameof(name));
    }

    private static bool DeclaresAutocomplete(EmulatedApplicationCommand command, string option) =>
        JsonNode.Parse(command.OptionsJson) is JsonArray declared
        && declared.OfType<JsonObject>().Any(o => (string?)o["name"] == option && o["autocomplete"] is JsonValue v && v.TryGetValue<bool>(out var on) && on);

    private static JsonArray BuildOptions(EmulatedApplicationCommand? command, IReadOnlyDictionary<string, object?>? options, string? focused)
    {
        var declared = command is null ? null : JsonNode.Parse(command.OptionsJson) as JsonArray;
        JsonArray result = [];
        foreach (var (name, value) in options ?? new Dictionary<string, object?>())
        {
            if (value is null)
            {
                continue;
            }

            var declaredType = declared?.OfType<JsonObject>().FirstOrDefault(o => (string?)o["name"] == name)?["type"]?.GetValue<int>();
            if (name == focused)
            {
                // What the user has typed so far is sent as text, whatever the option's type (it may not parse yet).
                result.Add(new JsonObject
                {
                    ["name"] = name,
                    ["type"] = declaredType ?? 3,
                    ["value"] = Convert.ToString(value, CultureInfo.InvariantCulture),
                    ["focused"] = true,
                });
                continue;
            }

            var type = declaredType ?? value switch
            {
                bool => 5,
                int or long or short or byte or uint => 4,
                double or float or decimal => 10,
                _ => 3,
            };
            JsonNode? node = type switch
            {
                5 => Convert.ToBoolean(value, CultureInfo.InvariantCulture),
                4 => Convert.ToInt64(value, CultureInfo.InvariantCulture),
                10 => Convert.ToDouble(value, CultureInfo.InvariantCulture),
                _ => Convert.ToString(value, CultureInfo.InvariantCulture), // strings and snowflakes (user 6, channel 7, role 8, mentionable 9)
            };
            result.Add(new JsonObject { ["name"] = name, ["type"] = type, ["value"] = node });
        }

        return result;
    }

    private JsonObject InteractionJson(EmulatedInteraction interaction, JsonArray options, EmulatedApplicationCommand? command)
    {
        var channel = _channels[interaction.ChannelId].Channel;
        JsonObject data = new()
        {
            ["id"] = Id(interaction.CommandId),
            ["name"] = interaction.CommandName,
            ["type"] = command?.Type ?? 1,
            ["options"] = options,
        };
        if (interaction.GuildId is { } g)
        {
            data["guild_id"] = Id(g);
        }

        if (Resolved(options, interaction.GuildId) is { } resolved)
        {
            data["resolved"] = resolved;
        }

        JsonObject json = new()
        {
            ["id"] = Id(interaction.Id),
            ["application_id"] = Id(interaction.ApplicationId),
            ["type"] = interaction.Type,
            ["data"] = data,
            ["channel_id"] = Id(interaction.ChannelId),
            ["channel"] = ChannelJson(channel),
            ["token"] = interaction.Token,
            ["version"] = 1,
            ["locale"] = "en-US",
            ["entitlements"] = new JsonArray(),
            ["attachment_size_limit"] = 26_214_400,
            ["context"] = interaction.GuildId is null ? 1 : 0,
            ["authorizing_integration_owners"] = new JsonObject { ["0"] = interaction.GuildId is { } ag ? Id(ag) : "0" },
        };
        if (interaction.GuildId is { } guildId && _guilds.TryGetValue(guildId, out var guild))
        {
            json["guild_id"] = Id(guildId);
            json["guild_locale"] = "en-US";
            json["guild"] = new JsonObject { ["id"] = Id(guildId), ["locale"] = "en-US", ["features"] = new JsonArray() };
            json["member"] = MemberJson(guild, guild.Members[interaction.UserId], includeUser: true, includePermissions: true);
            json["app_permissions"] = PermissionsOf(guild, interaction.BotUserId).ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            json["user"] = UserJson(interaction.UserId);
            json["app_permissions"] = "0";
        }

        return json;
    }

    /// <summary>data.resolved for user (6), channel (7), role (8) and mentionable (9) options.</summary>
    private JsonObject? Resolved(JsonArray options, ulong? guildId)
    {
        JsonObject users = [], members = [], channels = [], roles = [];
        GuildState? guild = guildId is { } g ? _guilds.GetValueOrDefault(g) : null;
        foreach (var option in options.OfType<JsonObject>())
        {
            var type = option["type"]!.GetValue<int>();
            if (type is < 6 or > 9 || !ulong.TryParse((string?)option["value"], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                continue;
            }

            if (type is 6 or 9 && _users.TryGetValue(id, out var user))
            {
                users[Id(id)] = UserJson(user);
                if (guild is not null && guild.Members.TryGetValue(id, out var member))
                {
                    members[Id(id)] = MemberJson(guild, member, includeUser: false, includePermissions: true);
                }
            }
            else if (type == 7 && _channels.TryGetValue(id, out var channel))
            {
                var json = ChannelJson(channel.Channel);
                json["permissions"] = guild is null ? "0" : PermissionsOf(guild, 0).ToString(CultureInfo.InvariantCulture);
                channels[Id(id)] = json;
            }
            else if (type is 8 or 9 && guild is not null && guild.Roles.TryGetValue(id, out var role))
            {
                roles[Id(id)] = RoleJson(role);
            }
        }

        JsonObject resolved = [];
        foreach (var (name, part) in (ReadOnlySpan<(string, JsonObject)>)[("users", users), ("members", members), ("channels", channels), ("roles", roles)])
        {
            if (part.Count > 0)
            {
                resolved[name] = part;
            }
        }

        return resolved.Count > 0 ? resolved : null;
    }

    private static string Utf8Text(JsonNode node) => node.ToJsonString();

    private ChannelState RequireChannelForRest(ulong channelId) =>
        _channels.TryGetValue(channelId, out var channel) ? channel : throw DiscordRestException.UnknownChannel();
}
