namespace Cordial.Emulator.Discord.Control;

/// <summary>Body of POST /_emulator/discord/faults/response-delay.</summary>
internal sealed record ResponseDelayRequest(double Milliseconds);
