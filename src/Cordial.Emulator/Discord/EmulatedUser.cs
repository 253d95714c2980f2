namespace Cordial.Emulator.Discord;

/// <summary>A user (or bot user) known to the emulator. Immutable snapshot.</summary>
public sealed record EmulatedUser(ulong Id, string Username, bool Bot);
