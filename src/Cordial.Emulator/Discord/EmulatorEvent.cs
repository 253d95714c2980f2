namespace Cordial.Emulator.Discord;

/// <summary>A state change in the emulator (see <see cref="EmulatorEventTypes"/>).</summary>
public sealed record EmulatorEvent(string Type, DateTimeOffset At)
{
    public ulong? GuildId { get; init; }
    public ulong? ChannelId { get; init; }
    public ulong? MessageId { get; init; }
    public ulong? UserId { get; init; }
    public ulong? InteractionId { get; init; }

    /// <summary>The message after the change, for message events.</summary>
    public EmulatedMessage? Message { get; init; }

    /// <summary>The response, for interaction_response events.</summary>
    public EmulatedInteractionResponse? InteractionResponse { get; init; }
}
