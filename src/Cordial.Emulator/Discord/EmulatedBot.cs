namespace Cordial.Emulator.Discord;

/// <summary>A registered bot: its user, its application (same id as the user) and its token.</summary>
public sealed record EmulatedBot(EmulatedUser User, ulong ApplicationId, string Token, bool MessageContentIntentAllowed);
