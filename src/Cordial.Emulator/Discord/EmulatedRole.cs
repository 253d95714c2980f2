namespace Cordial.Emulator.Discord;

/// <summary>A guild role with its permission bits.</summary>
public sealed record EmulatedRole(ulong Id, ulong GuildId, string Name, ulong Permissions, int Position);
