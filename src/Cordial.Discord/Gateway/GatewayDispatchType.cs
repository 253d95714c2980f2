namespace Cordial.Discord.Gateway;

/// <summary>The dispatch names (<c>t</c>) the client turns into typed events; everything else is <see cref="Unknown"/>.</summary>
internal enum GatewayDispatchType
{
    None = 0,
    Unknown,
    Ready,
    Resumed,
    GuildCreate,
    ChannelCreate,
    ChannelUpdate,
    ChannelDelete,
    ThreadCreate,
    ThreadUpdate,
    MessageCreate,
    MessageUpdate,
    MessageDelete,
    InteractionCreate,
    VoiceStateUpdate,
    VoiceServerUpdate,
}
