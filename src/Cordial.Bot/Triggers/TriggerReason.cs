namespace Cordial.Bot.Triggers;

/// <summary>Why the bot answers a message (or <see cref="None"/>).</summary>
public enum TriggerReason
{
    None,
    DirectMessage,
    Mention,
    ReplyToBot,
    BotThread,
    Keyword,
    EveryMessage,
}

/// <summary>The trigger decision for one message.</summary>
/// <param name="Reason">Why it triggers, or <see cref="TriggerReason.None"/>.</param>
/// <param name="OpenThread">Whether the answer should go into a new thread (a new conversation in an OpenThread channel).</param>
public readonly record struct TriggerDecision(TriggerReason Reason, bool OpenThread = false)
{
    public bool Triggered => Reason != TriggerReason.None;
}
