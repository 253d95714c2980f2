namespace Cordial.Emulator.Discord.Control;

/// <summary>Body of POST /_emulator/discord/faults/fail-route.</summary>
internal sealed record FailRouteRequest(string Method, string Route, int Status, int Count);
