namespace Cordial.Bot.Delivery;

/// <summary>How a reply looks in Discord.</summary>
public enum DeliveryMode
{
    /// <summary>Plain message content, split at 2000 characters.</summary>
    Plain,

    /// <summary>One embed per message: coloured while in progress and when done, a footer with model and speed; split at 4096.</summary>
    Embed,
}
