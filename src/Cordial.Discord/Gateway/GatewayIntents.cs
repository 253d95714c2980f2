namespace Cordial.Discord.Gateway;

/// <summary>
/// Gateway intents (Discord's bit values): which groups of events a shard subscribes to in IDENTIFY.
/// <see cref="GuildMembers"/>, <see cref="GuildPresences"/> and <see cref="MessageContent"/> are privileged and must be
/// enabled for the application in the Developer Portal, otherwise Discord closes the connection with 4014.
/// </summary>
[Flags]
public enum GatewayIntents
{
    None = 0,
    Guilds = 1 << 0,
    GuildMembers = 1 << 1,
    GuildModeration = 1 << 2,
    GuildExpressions = 1 << 3,
    GuildIntegrations = 1 << 4,
    GuildWebhooks = 1 << 5,
    GuildInvites = 1 << 6,
    GuildVoiceStates = 1 << 7,
    GuildPresences = 1 << 8,
    GuildMessages = 1 << 9,
    GuildMessageReactions = 1 << 10,
    GuildMessageTyping = 1 << 11,
    DirectMessages = 1 << 12,
    DirectMessageReactions = 1 << 13,
    DirectMessageTyping = 1 << 14,
    MessageContent = 1 << 15,
    GuildScheduledEvents = 1 << 16,
    AutoModerationConfiguration = 1 << 20,
    AutoModerationExecution = 1 << 21,
    GuildMessagePolls = 1 << 24,
    DirectMessagePolls = 1 << 25,

    /// <summary>Every bit Discord defines (used to validate configuration).</summary>
    All = Guilds | GuildMembers | GuildModeration | GuildExpressions | GuildIntegrations | GuildWebhooks | GuildInvites
        | GuildVoiceStates | GuildPresences | GuildMessages | GuildMessageReactions | GuildMessageTyping | DirectMessages
        | DirectMessageReactions | DirectMessageTyping | MessageContent | GuildScheduledEvents | AutoModerationConfiguration
        | AutoModerationExecution | GuildMessagePolls | DirectMessagePolls,
}
