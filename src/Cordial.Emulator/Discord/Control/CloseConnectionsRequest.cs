namespace Cordial.Emulator.Discord.Control;

/// <summary>Body of POST /_emulator/discord/faults/close-connections.</summary>
internal sealed record CloseConnectionsRequest(int Code);
