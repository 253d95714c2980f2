using System.Security.Cryptography;
using System.Threading.Channels;
using Cordial.Emulator.Discord.Gateway;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cordial.Emulator.Discord;

/// <summary>
/// State and control of the Discord-compatible server: users, bots, guilds, channels, messages,
/// interactions and gateway sessions. Thread-safe: every state change happens under one lock that is
/// never held across an await; gateway dispatches are queued (never sent) under it.
/// </summary>
public sealed partial class DiscordEmulator
{
    private const long DiscordEpochMilliseconds = 1_420_070_400_000;
    private const int MaxEventSubscribers = 256;
    private const int SubscriberQueueCapacity = 4096;
    private const int MaxAutoRegisteredBots = 1000;

    /// <summary>Default @everyone permissions: view, send, embed, attach, history, reactions, threads, app commands.</summary>
    private const ulong EveryonePermissions = (1UL << 6) | (1UL << 10) | (1UL << 11) | (1UL << 14) | (1UL << 15) | (1UL << 16)
        | (1UL << 31) | (1UL << 35) | (1UL << 38);

    private readonly Lock _gate = new();
    private readonly Lock _idGate = new();
    private readonly Dictionary<ulong, EmulatedUser> _users = [];
    private readonly Dictionary<ulong, BotState> _botsById = [];
    private readonly Dictionary<string, BotState> _botsByToken = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, GuildState> _guilds = [];
    private readonly Dictionary<ulong, ChannelState> _channels = [];
    private readonly Dictionary<(ulong, ulong), ulong> _directMessages = [];
    private readonly List<Channel<EmulatorEvent>> _subscribers = [];
    private readonly Lock _subscriberGate = new();
    private ulong _lastId;
    private int _autoRegistered;

    /// <summary>Creates an emulator. Usually obtained from <see cref="DiscordEmulatorHost"/> or DI.</summary>
    public DiscordEmulator(DiscordEmulatorOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        Options = options ?? new DiscordEmulatorOptions();
        Options.Validate();
        Time = Options.TimeProvider;
        Logger = (ILogger?)loggerFactory?.CreateLogger<DiscordEmulator>() ?? NullLogger.Instance;
        Faults = new EmulatorFaults(this);
        RateLimits = new Rest.RestRateLimiter(Options, Time);
        if (Options.FixedBotToken is { } fixedToken)
        {
            RegisterBot("Cordial", fixedToken);
        }
    }

    /// <summary>Fault injection (connections, REST failures, rate-limit storms, delays).</summary>
    public EmulatorFaults Faults { get; }

    /// <summary>Largest file a simulated user may attach (<see cref="DiscordEmulatorOptions.UserUploadLimit"/>).</summary>
    public long UserUploadLimit => Options.UserUploadLimit;

    internal DiscordEmulatorOptions Options { get; }
    internal TimeProvider Time { get; }
    internal ILogger Logger { get; }
    internal Rest.RestRateLimiter RateLimits { get; }

    /// <summary>Registers a bot (and its application, same id). Registering an existing token returns that bot.</summary>
    public EmulatedBot RegisterBot(string username = "Cordial", string? token = null, bool messageContentIntentAllowed = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        if (token is not null && !IsWellFormedToken(token))
        {
            throw new ArgumentException("A bot token is 1-200 characters of letters, digits, '.', '_' or '-'.", nameof(token));
        }

        EmulatedBot bot;
        lock (_gate)
        {
            if (token is not null && _botsByToken.TryGetValue(token, out var existing))
            {
                return existing.Bot;
            }

            var user = new EmulatedUser(NextId(), username, Bot: true);
            token ??= NewToken(user.Id);
            bot = new EmulatedBot(user, user.Id, token, messageContentIntentAllowed);
            var state = new BotState(bot);
            _users[user.Id] = user;
            _botsById[user.Id] = state;
            _botsByToken[token] = state;
            foreach (var guild in _guilds.Values)
            {
                guild.Members.TryAdd(user.Id, new MemberState(user.Id, Time.GetUtcNow()));
            }
        }

        DiscordEmulatorLog.BotRegistered(Logger, bot.User.Id);
        Publish(new EmulatorEvent(EmulatorEventTypes.BotRegistered, Time.GetUtcNow()) { UserId = bot.User.Id });
        return bot;
    }

    /// <summary>Creates a user (a simulated human unless <paramref name="bot"/>).</summary>
    public EmulatedUser CreateUser(string username, bool bot = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        EmulatedUser user;
        lock (_gate)
        {
            user = new EmulatedUser(NextId(), username, bot);
            _users[user.Id] = user;
        }

        Publish(new EmulatorEvent(EmulatorEventTypes.UserCreated, Time.GetUtcNow()) { UserId = user.Id });
        return user;
    }

    /// <summary>
    /// Creates a guild with its @everyone role. The owner (a new user "owner" when null) and every registered bot
    /// are members. Connected bots receive GUILD_CREATE.
    /// </summary>
    public EmulatedGuild CreateGuild(string name, ulong? ownerId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        EmulatedGuild guild;
        lock (_gate)
        {
            ulong owner;
            if (ownerId is { } given)
            {
                RequireUser(given);
                owner = given;
            }
            else
            {
                var created = new EmulatedUser(NextId(), name + " owner", Bot: false);
                _users[created.Id] = created;
                owner = created.Id;
            }

            guild = new EmulatedGuild(NextId(distinctTimestamp: true), name, owner, Time.GetUtcNow());
            var state = new GuildState(guild);
            state.Roles[guild.Id] = new EmulatedRole(guild.Id, guild.Id, "@everyone", EveryonePermissions, 0);
            state.Members[owner] = new MemberState(owner, Time.GetUtcNow());
            foreach (var bot in _botsById.Keys)
            {
                state.Members.TryAdd(bot, new MemberState(bot, Time.GetUtcNow()));
            }

            _guilds[guild.Id] = state;
            DispatchGuildCreateLocked(state);
        }

        Publish(new EmulatorEvent(EmulatorEventTypes.GuildCreated, Time.GetUtcNow()) { GuildId = guild.Id });
        return guild;
    }

    /// <summary>Creates a role in a guild.</summary>
    public EmulatedRole CreateRole(ulong guildId, string name, ulong permissions = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (_gate)
        {
            var guild = RequireGuild(guildId);
            var role = new EmulatedRole(NextId(), guildId, name, permissions, guild.Roles.Count);
            guild.Roles[role.Id] = role;
            return role;
        }
    }

    /// <summary>Adds a user to a guild (or adds roles to an existing member).</summary>
    public void AddMember(ulong guildId, ulong userId, params ulong[] roleIds)
    {
        lock (_gate)
        {
            var guild = RequireGuild(guildId);
            RequireUser(userId);
            var added = false;
            if (!guild.Members.TryGetValue(userId, out var member))
            {
                member = new MemberState(userId, Time.GetUtcNow());
                guild.Members[userId] = member;
                added = true;
            }

            foreach (var role in roleIds ?? [])
            {
                if (!guild.Roles.ContainsKey(role))
                {
                    throw new ArgumentException($"Role {role} does not exist in guild {guildId}.", nameof(roleIds));
                }

                if (role != guildId && !member.RoleIds.Contains(role))
                {
                    member.RoleIds.Add(role);
                }
            }

            if (added)
            {
                DispatchMemberAddLocked(guild, member);
            }
        }
    }

    /// <summary>Creates a guild channel (text by default). Connected bots receive CHANNEL_CREATE.</summary>
    public EmulatedChannel CreateChannel(ulong guildId, string name, EmulatedChannelKind kind = EmulatedChannelKind.Text, ulong? parentId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (kind is EmulatedChannelKind.DirectMessage or EmulatedChannelKind.PublicThread or EmulatedChannelKind.PrivateThread)
        {
            throw new ArgumentException("Use OpenDirectMessage or CreateThread for that kind.", nameof(kind));
        }

        EmulatedChannel channel;
        lock (_gate)
        {
            var guild = RequireGuild(guildId);
            if (parentId is { } parent && (!_channels.TryGetValue(parent, out var p) || p.Channel.GuildId != guildId))
            {
                throw new ArgumentException($"Parent {parent} is not a channel of guild {guildId}.", nameof(parentId));
            }

            channel = new EmulatedChannel(NextId(), guildId, name, kind, parentId, null, [], Time.GetUtcNow());
            _channels[channel.Id] = new ChannelState(channel);
            guild.ChannelIds.Add(channel.Id);
            DispatchChannelLocked("CHANNEL_CREATE", channel);
        }

        Publish(new EmulatorEvent(EmulatorEventTypes.ChannelCreated, Time.GetUtcNow()) { GuildId = guildId, ChannelId = channel.Id });
        return channel;
    }

    /// <summary>Creates a public thread in a guild channel, optionally from a starter message (the thread then has the message's id).</summary>
    public EmulatedChannel CreateThread(ulong channelId, string name, ulong ownerId, ulong? starterMessageId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (_gate)
        {
            RequireUser(ownerId);
            return CreateThreadLocked(channelId, name, ownerId, starterMessageId, EmulatedChannelKind.PublicThread);
        }
    }

    /// <summary>Opens (or returns) the DM channel between a user and a bot.</summary>
    public EmulatedChannel OpenDirectMessage(ulong userId, ulong botUserId)
    {
        lock (_gate)
        {
            RequireUser(userId);
            RequireUser(botUserId);
            return OpenDirectMessageLocked(userId, botUserId);
        }
    }

    /// <summary>Commands registered by an application, globally (<paramref name="guildId"/> null) or in one guild.</summary>
    public IReadOnlyList<EmulatedApplicationCommand> GetCommands(ulong applicationId, ulong? guildId = null)
    {
        lock (_gate)
        {
            return _commands.TryGetValue((applicationId, guildId ?? 0), out var list) ? [.. list] : [];
        }
    }

    /// <summary>Counters of one bot.</summary>
    public EmulatorStats GetStats(ulong botUserId)
    {
        BotState? bot;
        lock (_gate)
        {
            _botsById.TryGetValue(botUserId, out bot);
        }

        return bot?.Snapshot(Time) ?? throw new ArgumentException($"No bot with user id {botUserId}.", nameof(botUserId));
    }

    /// <summary>Registered bots.</summary>
    public IReadOnlyList<EmulatedBot> GetBots()
    {
        lock (_gate)
        {
            return [.. _botsById.Values.Select(b => b.Bot)];
        }
    }

    /// <summary>Known users (bots included).</summary>
    public IReadOnlyList<EmulatedUser> GetUsers()
    {
        lock (_gate)
        {
            return [.. _users.Values.OrderBy(u => u.Id)];
        }
    }

    /// <summary>Guilds.</summary>
    public IReadOnlyList<EmulatedGuild> GetGuilds()
    {
        lock (_gate)
        {
            return [.. _guilds.Values.Select(g => g.Guild).OrderBy(g => g.Id)];
        }
    }

    /// <summary>Roles of a guild (its @everyone role included).</summary>
    public IReadOnlyList<EmulatedRole> GetRoles(ulong guildId)
    {
        lock (_gate)
        {
            return [.. RequireGuild(guildId).Roles.Values.OrderBy(r => r.Position)];
        }
    }

    /// <summary>Channels, threads and DMs.</summary>
    public IReadOnlyList<EmulatedChannel> GetChannels()
    {
        lock (_gate)
        {
            return [.. _channels.Values.Select(c => c.Channel).OrderBy(c => c.Id)];
        }
    }

    /// <summary>
    /// Streams every state change from the moment of this call (the subscription is registered before it
    /// returns, so nothing between the call and the first MoveNextAsync is missed). Each subscriber has a
    /// bounded queue: one that falls behind loses its oldest events rather than slowing the emulator. The
    /// subscription ends when the enumeration ends or <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public IAsyncEnumerable<EmulatorEvent> SubscribeAsync(CancellationToken cancellationToken)
    {
        var queue = Channel.CreateBounded<EmulatorEvent>(new BoundedChannelOptions(SubscriberQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_subscriberGate)
        {
            if (_subscribers.Count >= MaxEventSubscribers)
            {
                throw new InvalidOperationException($"At most {MaxEventSubscribers} event subscribers are allowed.");
            }

            _subscribers.Add(queue);
        }

        var registration = cancellationToken.Register(() => Unsubscribe(queue));
        return ReadEventsAsync(queue, registration, cancellationToken);
    }

    private async IAsyncEnumerable<EmulatorEvent> ReadEventsAsync(
        Channel<EmulatorEvent> queue, CancellationTokenRegistration registration, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in queue.Reader.ReadAllAsync(cancellationToken))
            {
                yield return item;
            }
        }
        finally
        {
            await registration.DisposeAsync();
            Unsubscribe(queue);
        }
    }

    private void Unsubscribe(Channel<EmulatorEvent> queue)
    {
        lock (_subscriberGate)
        {
            _subscribers.Remove(queue);
        }
    }

    internal void Publish(EmulatorEvent item)
    {
        lock (_subscriberGate)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(item);
            }
        }
    }

    /// <summary>Resolves a token to a bot, registering one when no fixed token is configured.</summary>
    internal BotState? Authenticate(string? token)
    {
        if (token is null || !IsWellFormedToken(token))
        {
            return null;
        }

        lock (_gate)
        {
            if (_botsByToken.TryGetValue(token, out var known))
            {
                return known;
            }
        }

        if (Options.FixedBotToken is not null || Interlocked.Increment(ref _autoRegistered) > MaxAutoRegisteredBots)
        {
            return null;
        }

        RegisterBot("Bot" + (uint)token.GetHashCode(StringComparison.Ordinal) % 10000, token);
        lock (_gate)
        {
            return _botsByToken.GetValueOrDefault(token);
        }
    }

    internal static bool IsWellFormedToken(string token) =>
        token.Length is > 0 and <= 200 && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    internal ulong NextId(bool distinctTimestamp = false)
    {
        var milliseconds = Math.Max(0, Time.GetUtcNow().ToUnixTimeMilliseconds() - DiscordEpochMilliseconds);
        var candidate = (ulong)milliseconds << 22;
        lock (_idGate)
        {
            if (distinctTimestamp)
            {
                var next = ((_lastId >> 22) + 1) << 22;
                candidate = Math.Max(candidate, next);
            }

            _lastId = Math.Max(candidate, _lastId + 1);
            return _lastId;
        }
    }

    internal static DateTimeOffset TimestampOf(ulong snowflake) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)(snowflake >> 22) + DiscordEpochMilliseconds);

    private static string NewToken(ulong userId)
    {
        var idPart = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(userId.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .TrimEnd('=');
        return idPart + "." + Convert.ToHexString(RandomNumberGenerator.GetBytes(3)) + "." + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    }

    private GuildState RequireGuild(ulong guildId) =>
        _guilds.TryGetValue(guildId, out var guild) ? guild : throw new ArgumentException($"No guild with id {guildId}.", nameof(guildId));

    private EmulatedUser RequireUser(ulong userId) =>
        _users.TryGetValue(userId, out var user) ? user : throw new ArgumentException($"No user with id {userId}.", nameof(userId));

    private ChannelState RequireChannel(ulong channelId) =>
        _channels.TryGetValue(channelId, out var channel) ? channel : throw new ArgumentException($"No channel with id {channelId}.", nameof(channelId));

    private EmulatedChannel OpenDirectMessageLocked(ulong userId, ulong botUserId)
    {
        var key = userId < botUserId ? (userId, botUserId) : (botUserId, userId);
        if (_directMessages.TryGetValue(key, out var existing))
        {
            return _channels[existing].Channel;
        }

        var channel = new EmulatedChannel(NextId(), null, "dm", EmulatedChannelKind.DirectMessage, null, null, [userId, botUserId], Time.GetUtcNow());
        _channels[channel.Id] = new ChannelState(channel);
        _directMessages[key] = channel.Id;
        return channel;
    }

    private EmulatedChannel CreateThreadLocked(ulong channelId, string name, ulong ownerId, ulong? starterMessageId, EmulatedChannelKind kind)
    {
        var parent = RequireChannel(channelId);
        if (parent.Channel.GuildId is not { } guildId || parent.Channel.IsThread || parent.Channel.Kind == EmulatedChannelKind.Category)
        {
            throw new ArgumentException($"Channel {channelId} cannot hold threads.", nameof(channelId));
        }

        ulong id;
        if (starterMessageId is { } starter)
        {
            if (!parent.Messages.TryGetValue(starter, out var message) || message.Deleted)
            {
                throw new ArgumentException($"No message {starter} in channel {channelId}.", nameof(starterMessageId));
            }

            if (_channels.ContainsKey(starter))
            {
                throw new ArgumentException($"A thread already exists for message {starter}.", nameof(starterMessageId));
            }

            id = starter;
        }
        else
        {
            id = NextId();
        }

        var thread = new EmulatedChannel(id, guildId, name, kind, channelId, ownerId, [], Time.GetUtcNow());
        _channels[id] = new ChannelState(thread);
        _guilds[guildId].ChannelIds.Add(id);
        DispatchChannelLocked("THREAD_CREATE", thread);
        Publish(new EmulatorEvent(EmulatorEventTypes.ThreadCreated, Time.GetUtcNow()) { GuildId = guildId, ChannelId = id, UserId = ownerId });
        return thread;
    }
}
