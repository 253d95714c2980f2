using Cordial.Emulator.Discord;

namespace Cordial.Sandbox;

/// <summary>
/// GET /sandbox/info: who the page speaks as and to. Ids are strings (JavaScript numbers cannot hold a snowflake).
/// </summary>
/// <param name="GuildId">The guild whose channels the page lists; null when the emulator has none yet.</param>
/// <param name="GuildName">Its name.</param>
/// <param name="UserId">The user the page posts as ("you").</param>
/// <param name="BotUserId">The bot the page talks to (mentions, DMs, slash commands).</param>
/// <param name="BotName">The bot's username.</param>
/// <param name="Channels">Channel ids by name, as seeded by the sandbox (empty without a <see cref="SandboxWorld"/>).</param>
/// <param name="EveryMessageChannels">Channels where the bot answers every message (the mention toggle starts off there).</param>
/// <param name="SimulatedModel">True when the simulated model answers.</param>
/// <param name="Model">The configured default model's name, if known.</param>
internal sealed record SandboxPageInfo(
    string? GuildId,
    string? GuildName,
    string? UserId,
    string? BotUserId,
    string? BotName,
    IReadOnlyDictionary<string, string> Channels,
    IReadOnlyList<string> EveryMessageChannels,
    bool SimulatedModel,
    string? Model)
{
    /// <summary>Largest file the page may attach (the emulator's <see cref="DiscordEmulator.UserUploadLimit"/>), in bytes.</summary>
    public long UploadLimitBytes { get; init; }

    /// <summary>The channel where the sandbox's bot answers every message without a mention.</summary>
    internal const string AskAnythingChannel = "ask-anything";

    /// <summary>
    /// From the sandbox's seeded world when there is one, otherwise from the emulator's state: its first guild, that
    /// guild's owner (or the first human user) and the first bot.
    /// </summary>
    public static SandboxPageInfo Create(DiscordEmulator emulator, SandboxWorld? world, string? defaultModel)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        var guilds = emulator.GetGuilds();
        var users = emulator.GetUsers();
        var bots = emulator.GetBots();
        if (world is not null)
        {
            var channels = world.Channels.ToDictionary(kv => kv.Key, kv => SandboxPageEndpoints.Id(kv.Value), StringComparer.Ordinal);
            return new SandboxPageInfo(
                SandboxPageEndpoints.Id(world.GuildId),
                guilds.FirstOrDefault(g => g.Id == world.GuildId)?.Name,
                SandboxPageEndpoints.Id(world.UserId),
                SandboxPageEndpoints.Id(world.BotUserId),
                bots.FirstOrDefault(b => b.User.Id == world.BotUserId)?.User.Username,
                channels,
                channels.TryGetValue(AskAnythingChannel, out var ask) ? [ask] : [],
                world.SimulatedModel,
                world.SimulatedModel ? null : defaultModel) { UploadLimitBytes = emulator.UserUploadLimit };
        }

        var guild = guilds.OrderBy(g => g.Id).FirstOrDefault();
        var user = users.FirstOrDefault(u => !u.Bot && u.Id == guild?.OwnerId)
            ?? users.Where(u => !u.Bot && bots.All(b => b.User.Id != u.Id)).OrderBy(u => u.Id).FirstOrDefault();
        var bot = bots.OrderBy(b => b.User.Id).FirstOrDefault();
        return new SandboxPageInfo(
            guild is null ? null : SandboxPageEndpoints.Id(guild.Id),
            guild?.Name,
            user is null ? null : SandboxPageEndpoints.Id(user.Id),
            bot is null ? null : SandboxPageEndpoints.Id(bot.User.Id),
            bot?.User.Username,
            new Dictionary<string, string>(StringComparer.Ordinal),
            [],
            SimulatedModel: false,
            defaultModel) { UploadLimitBytes = emulator.UserUploadLimit };
    }
}
