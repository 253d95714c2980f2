namespace Cordial.LoadTest;

/// <summary>One simulated person: an emulator user with a home channel (or thread) and the id of the bot's last answer to them.</summary>
internal sealed class SimulatedUser(int index, ulong userId, ulong homeChannelId)
{
    public int Index { get; } = index;

    public ulong UserId { get; } = userId;

    public ulong HomeChannelId { get; } = homeChannelId;

    /// <summary>The bot's last message of the latest complete answer to this user, for a reply that continues it.</summary>
    public ulong? LastAnswerMessageId { get; set; }

    public int Sequence { get; set; }
}
