namespace Cordial.Emulator.Discord;

/// <summary>A channel, thread or DM. Immutable snapshot.</summary>
/// <param name="GuildId">Null for DMs.</param>
/// <param name="ParentId">Category of a channel, or the parent channel of a thread.</param>
/// <param name="OwnerId">Creator of a thread.</param>
/// <param name="RecipientIds">The two users of a DM; empty otherwise.</param>
public sealed record EmulatedChannel(
    ulong Id,
    ulong? GuildId,
    string Name,
    EmulatedChannelKind Kind,
    ulong? ParentId,
    ulong? OwnerId,
    IReadOnlyList<ulong> RecipientIds,
    DateTimeOffset CreatedAt)
{
    /// <summary>True for public and private threads.</summary>
    public bool IsThread => Kind is EmulatedChannelKind.PublicThread or EmulatedChannelKind.PrivateThread;
}
