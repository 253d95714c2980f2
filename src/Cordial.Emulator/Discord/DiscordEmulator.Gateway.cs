using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cordial.Emulator.Discord.Gateway;

namespace Cordial.Emulator.Discord;

/// <summary>Gateway sessions and dispatch fan-out.</summary>
public sealed partial class DiscordEmulator
{
    private const int MaxSessions = 4096;

    private readonly Dictionary<string, GatewaySession> _sessions = new(StringComparer.Ordinal);
    private readonly HashSet<GatewayConnection> _connections = [];
    private readonly Lock _connectionGate = new();
    private long _sessionOrder;
    private volatile string _publicBaseUrl = "http://127.0.0.1/";

    /// <summary>Absolute base URL (ending in '/') used for attachment URLs; set by the host or the first request.</summary>
    internal string PublicBaseUrl
    {
        get => _publicBaseUrl;
        set => _publicBaseUrl = value.EndsWith('/') ? value : value + "/";
    }

    internal bool PublicBaseUrlKnown { get; set; }

    internal void AddConnection(GatewayConnection connection)
    {
        lock (_connectionGate)
        {
            _connections.Add(connection);
        }
    }

    internal void RemoveConnection(GatewayConnection connection)
    {
        lock (_connectionGate)
        {
            _connections.Remove(connection);
        }
    }

    internal IReadOnlyList<GatewayConnection> Connections
    {
        get
        {
            lock (_connectionGate)
            {
                return [.. _connections];
            }
        }
    }

    internal int ActiveSessionCount
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Values.Count(s => s.IsAttached);
            }
        }
    }

    /// <summary>IDENTIFY: creates a session, sends READY then one GUILD_CREATE per guild of the shard.</summary>
    internal GatewaySession StartSession(GatewayConnection connection, BotState bot, int intents, int shardId, int shardCount)
    {
        var sessionId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        lock (_gate)
        {
            var session = new GatewaySession(sessionId, bot, intents, shardId, shardCount, Options.ResumeBufferSize)
            {
                CreatedOrder = ++_sessionOrder,
            };
            EvictSessionsLocked();
            _sessions[sessionId] = session;
            session.Attach(connection);
            connection.UseSession(session); // before READY: whoever sees READY may inject a fault into this session
            var guilds = _guilds.Values.Where(g => session.OwnsGuild(g.Guild.Id)).ToList();
            var user = UserJson(bot.Bot.User);
            user["verified"] = true;
            user["mfa_enabled"] = false;
            user["email"] = null;
            JsonObject ready = new()
            {
                ["v"] = 10,
                ["user"] = user,
                ["guilds"] = new JsonArray([.. guilds.Select(g => (JsonNode)new JsonObject { ["id"] = Id(g.Guild.Id), ["unavailable"] = true })]),
                ["session_id"] = sessionId,
                ["session_type"] = "normal",
                ["resume_gateway_url"] = connection.GatewayUrl,
                ["shard"] = new JsonArray(shardId, shardCount),
                ["application"] = new JsonObject
                {
                    ["id"] = Id(bot.Bot.ApplicationId),
                    ["flags"] = bot.Bot.MessageContentIntentAllowed ? (1 << 18) | (1 << 14) : (1 << 19) | (1 << 15),
                },
                ["private_channels"] = new JsonArray(),
                ["relationships"] = new JsonArray(),
                ["presences"] = new JsonArray(),
                ["guild_join_requests"] = new JsonArray(),
                ["geo_ordered_rtc_regions"] = new JsonArray(),
                ["user_settings"] = new JsonObject(),
                ["_trace"] = new JsonArray("cordial-emulator"),
            };
            session.Dispatch("READY", Utf8(ready));
            foreach (var guild in guilds)
            {
                session.Dispatch("GUILD_CREATE", Utf8(GuildJson(guild, gatewayCreate: true)));
            }

            DiscordEmulatorLog.SessionStarted(Logger, sessionId, bot.Bot.User.Id, shardId, shardCount);
            return session;
        }
    }

    /// <summary>RESUME: replays missed dispatches and sends RESUMED; null when the session cannot be resumed.</summary>
    internal GatewaySession? ResumeSession(GatewayConnection connection, BotState bot, string sessionId, int sequence)
    {
        GatewaySession? session;
        lock (_gate)
        {
            _sessions.TryGetValue(sessionId, out session);
        }

        if (session is null || session.Bot != bot)
        {
            return null;
        }

        connection.UseSession(session); // before RESUMED, as for READY
        if (!session.TryResume(connection, sequence))
        {
            connection.ForgetSession();
            return null;
        }

        bot.CountResume();
        DiscordEmulatorLog.SessionResumed(Logger, sessionId, sequence);
        return session;
    }

    internal void InvalidateSession(GatewaySession session)
    {
        session.Invalidate();
        lock (_gate)
        {
            _sessions.Remove(session.Id);
        }
    }

    private void EvictSessionsLocked()
    {
        if (_sessions.Count < MaxSessions)
        {
            return;
        }

        foreach (var dead in _sessions.Values.Where(s => s.IsInvalidated).Select(s => s.Id).ToList())
        {
            _sessions.Remove(dead);
        }

        while (_sessions.Count >= MaxSessions)
        {
            var oldest = _sessions.Values.Where(s => !s.IsAttached).MinBy(s => s.CreatedOrder)
                ?? _sessions.Values.MinBy(s => s.CreatedOrder)!;
            oldest.Invalidate();
            _sessions.Remove(oldest.Id);
        }
    }

    private void DispatchGuildCreateLocked(GuildState guild)
    {
        byte[]? data = null;
        foreach (var session in _sessions.Values)
        {
            if (session.OwnsGuild(guild.Guild.Id) && session.HasIntent(GatewayIntents.Guilds))
            {
                session.Dispatch("GUILD_CREATE", data ??= Utf8(GuildJson(guild, gatewayCreate: true)));
            }
        }
    }

    /// <summary>GUILD_MEMBER_ADD to sessions with the GUILD_MEMBERS intent.</summary>
    private void DispatchMemberAddLocked(GuildState guild, MemberState member)
    {
        byte[]? data = null;
        foreach (var session in _sessions.Values)
        {
            if (session.OwnsGuild(guild.Guild.Id) && session.HasIntent(GatewayIntents.GuildMembers))
            {
                if (data is null)
                {
                    var json = MemberJson(guild, member, includeUser: true, includePermissions: false);
                    json["guild_id"] = Id(guild.Guild.Id);
                    data = Utf8(json);
                }

                session.Dispatch("GUILD_MEMBER_ADD", data);
            }
        }
    }

    private void DispatchChannelLocked(string eventName, EmulatedChannel channel)
    {
        if (channel.GuildId is not { } guildId)
        {
            return;
        }

        byte[]? data = null;
        foreach (var session in _sessions.Values)
        {
            if (session.OwnsGuild(guildId) && session.HasIntent(GatewayIntents.Guilds))
            {
                if (data is null)
                {
                    var json = ChannelJson(channel);
                    if (channel.IsThread)
                    {
                        json["newly_created"] = true;
                    }

                    data = Utf8(json);
                }

                session.Dispatch(eventName, data);
            }
        }
    }

    /// <summary>MESSAGE_CREATE / MESSAGE_UPDATE, honouring shard, GUILD_MESSAGES / DIRECT_MESSAGES and MESSAGE_CONTENT.</summary>
    private void DispatchMessageLocked(string eventName, EmulatedMessage message, ChannelState channel)
    {
        if ((message.Flags & 64) != 0)
        {
            return; // ephemeral messages are never dispatched
        }

        byte[]? full = null, stripped = null;
        foreach (var session in _sessions.Values)
        {
            var botId = session.Bot.Bot.User.Id;
            if (!Receives(session, channel.Channel))
            {
                continue;
            }

            var content = channel.Channel.GuildId is null || session.HasIntent(GatewayIntents.MessageContent)
                || message.AuthorId == botId || message.MentionUserIds.Contains(botId);
            var data = content
                ? full ??= Utf8(MessageJson(message, gateway: true, includeContent: true))
                : stripped ??= Utf8(MessageJson(message, gateway: true, includeContent: false));
            session.Dispatch(eventName, data);
        }
    }

    private void DispatchMessageDeleteLocked(EmulatedMessage message, ChannelState channel)
    {
        JsonObject json = new() { ["id"] = Id(message.Id), ["channel_id"] = Id(message.ChannelId) };
        if (message.GuildId is { } guildId)
        {
            json["guild_id"] = Id(guildId);
        }

        byte[]? data = null;
        foreach (var session in _sessions.Values)
        {
            if (Receives(session, channel.Channel))
            {
                session.Dispatch("MESSAGE_DELETE", data ??= Utf8(json));
            }
        }
    }

    private void DispatchTypingLocked(ChannelState channel, ulong userId)
    {
        var guildId = channel.Channel.GuildId;
        JsonObject json = new()
        {
            ["channel_id"] = Id(channel.Channel.Id),
            ["user_id"] = Id(userId),
            ["timestamp"] = Time.GetUtcNow().ToUnixTimeSeconds(),
        };
        if (guildId is { } g && _guilds.TryGetValue(g, out var guild))
        {
            json["guild_id"] = Id(g);
            if (guild.Members.TryGetValue(userId, out var member))
            {
                json["member"] = MemberJson(guild, member, includeUser: true, includePermissions: false);
            }
        }

        var intent = guildId is null ? GatewayIntents.DirectMessageTyping : GatewayIntents.GuildMessageTyping;
        byte[]? data = null;
        foreach (var session in _sessions.Values)
        {
            if (session.HasIntent(intent) && Receives(session, channel.Channel, requireMessageIntent: false))
            {
                session.Dispatch("TYPING_START", data ??= Utf8(json));
            }
        }
    }

    private static bool Receives(GatewaySession session, EmulatedChannel channel, bool requireMessageIntent = true)
    {
        if (channel.GuildId is { } guildId)
        {
            return session.OwnsGuild(guildId) && (!requireMessageIntent || session.HasIntent(GatewayIntents.GuildMessages));
        }

        return session.OwnsDirectMessages && channel.RecipientIds.Contains(session.Bot.Bot.User.Id)
            && (!requireMessageIntent || session.HasIntent(GatewayIntents.DirectMessages));
    }

    internal static string SequenceText(int sequence) => sequence.ToString(CultureInfo.InvariantCulture);
}
