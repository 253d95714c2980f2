namespace Cordial.Bot.Responding;

/// <summary>Who the bot is on Discord; learned from READY. Thread-safe.</summary>
public sealed class BotIdentity
{
    private long _userId;

    public ulong UserId
    {
        get => (ulong)Interlocked.Read(ref _userId);
        set => Interlocked.Exchange(ref _userId, (long)value);
    }

    public string Name { get; set; } = "Cordial";
}
