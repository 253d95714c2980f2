namespace Cordial.Emulator.Discord.Gateway;

/// <summary>Gateway intent bits the emulator looks at.</summary>
internal static class GatewayIntents
{
    public const int Guilds = 1 << 0;
    public const int GuildMembers = 1 << 1;
    public const int GuildMessages = 1 << 9;
    public const int GuildMessageTyping = 1 << 11;
    public const int DirectMessages = 1 << 12;
    public const int DirectMessageTyping = 1 << 14;
    public const int MessageContent = 1 << 15;

    /// <summary>Every bit Discord defines (0–21, 24, 25).</summary>
    public const int All = (1 << 22) - 1 | 1 << 24 | 1 << 25;
}
