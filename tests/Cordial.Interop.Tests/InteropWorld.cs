using Cordial.Emulator.Discord;

namespace Cordial.Interop.Tests;

/// <summary>The emulator state every interop test starts from: one bot, one human, one guild with a #general text channel.</summary>
internal sealed record InteropWorld(EmulatedBot Bot, EmulatedUser Human, EmulatedGuild Guild, EmulatedChannel Channel)
{
    public static InteropWorld Create(DiscordEmulator emulator)
    {
        var bot = emulator.RegisterBot("InteropBot");
        var human = emulator.CreateUser("alice");
        var guild = emulator.CreateGuild("Interop Guild", human.Id);
        emulator.AddMember(guild.Id, human.Id);
        var channel = emulator.CreateChannel(guild.Id, "general");
        return new InteropWorld(bot, human, guild, channel);
    }
}
