namespace Cordial.Bot.Delivery;

/// <summary>How a reply ended.</summary>
public enum ReplyOutcome
{
    /// <summary>The model's stream ended normally and the full text was delivered.</summary>
    Completed,

    /// <summary>The model's stream failed; the delivered text ends with a reason line.</summary>
    GenerationFailed,

    /// <summary>The answer passed <see cref="DeliveryOptions.MaxReplyLength"/>: the model stream was stopped and the reply ends with a notice.</summary>
    Truncated,

    /// <summary>Discord refused the messages repeatedly; delivery stopped (and reading the model stopped).</summary>
    DeliveryFailed,

    /// <summary>
    /// The model's stream ran past the reply's time limit: reading stopped, and the delivered text (what was said so far)
    /// ends with a reason line.
    /// </summary>
    TimedOut,
}
