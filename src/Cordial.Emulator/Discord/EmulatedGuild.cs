namespace Cordial.Emulator.Discord;

/// <summary>A guild. Its @everyone role has the guild's id.</summary>
public sealed record EmulatedGuild(ulong Id, string Name, ulong OwnerId, DateTimeOffset CreatedAt);
