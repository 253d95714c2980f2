namespace Cordial.Emulator.Discord;

/// <summary>Mutable state of one guild; guarded by the emulator's lock.</summary>
internal sealed class GuildState(EmulatedGuild guild)
{
    public EmulatedGuild Guild { get; } = guild;
    public Dictionary<ulong, EmulatedRole> Roles { get; } = [];
    public Dictionary<ulong, MemberState> Members { get; } = [];
    public List<ulong> ChannelIds { get; } = [];
}
