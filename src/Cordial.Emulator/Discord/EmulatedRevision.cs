namespace Cordial.Emulator.Discord;

/// <summary>One version of a message: the first is the message as created, each later one an edit.</summary>
public sealed record EmulatedRevision(string Content, string EmbedsJson, DateTimeOffset At);
