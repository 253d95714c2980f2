namespace Cordial.Emulator.Discord.Control;

/// <summary>Body of POST /_emulator/discord/faults/invalid-session.</summary>
internal sealed record InvalidSessionRequest(bool Resumable);
