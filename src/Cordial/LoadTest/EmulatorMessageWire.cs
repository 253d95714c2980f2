namespace Cordial.LoadTest;

/// <summary>The fields the load test reads from a message of the Discord emulator's control API.</summary>
internal sealed class EmulatorMessageWire
{
    public ulong Id { get; set; }

    public ulong ChannelId { get; set; }

    public ulong AuthorId { get; set; }

    public string Content { get; set; } = "";

    public ulong? ReplyToMessageId { get; set; }

    public ulong? InteractionId { get; set; }

    public bool Deleted { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
