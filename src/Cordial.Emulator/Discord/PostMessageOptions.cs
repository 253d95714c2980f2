namespace Cordial.Emulator.Discord;

/// <summary>Extras for <see cref="DiscordEmulator.PostMessageAsync"/>.</summary>
public sealed class PostMessageOptions
{
    /// <summary>Makes the message a reply to this message of the same channel.</summary>
    public ulong? ReplyToMessageId { get; set; }

    /// <summary>Files attached to the message.</summary>
    public IList<EmulatedAttachmentInput> Attachments { get; } = [];
}
