namespace Cordial.LoadTest;

/// <summary>The fields the load test reads from one event of the Discord emulator's /_emulator/discord/events stream.</summary>
internal sealed class EmulatorEventWire
{
    public string Type { get; set; } = "";

    public DateTimeOffset At { get; set; }

    public ulong? UserId { get; set; }

    public ulong? InteractionId { get; set; }

    public EmulatorMessageWire? Message { get; set; }
}
