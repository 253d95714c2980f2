namespace Cordial.Emulator.Discord;

/// <summary>Values of <see cref="EmulatorEvent.Type"/>.</summary>
public static class EmulatorEventTypes
{
    public const string BotRegistered = "bot_registered";
    public const string UserCreated = "user_created";
    public const string GuildCreated = "guild_created";
    public const string ChannelCreated = "channel_created";
    public const string ThreadCreated = "thread_created";
    public const string MessageCreated = "message_created";
    public const string MessageUpdated = "message_updated";
    public const string MessageDeleted = "message_deleted";
    public const string Typing = "typing";
    public const string InteractionCreated = "interaction_created";
    public const string InteractionResponse = "interaction_response";
    public const string CommandsUpdated = "commands_updated";
}
