namespace Cordial.Emulator.Discord.Control;

/// <summary>Body of POST /_emulator/discord/faults/suppress-heartbeat-acks.</summary>
internal sealed record SuppressHeartbeatAcksRequest(bool Suppress);
