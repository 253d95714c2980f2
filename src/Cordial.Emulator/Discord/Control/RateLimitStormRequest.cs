namespace Cordial.Emulator.Discord.Control;

/// <summary>Body of POST /_emulator/discord/faults/rate-limit-storm.</summary>
internal sealed record RateLimitStormRequest(double Seconds);
