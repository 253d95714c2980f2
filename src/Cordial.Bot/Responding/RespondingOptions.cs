namespace Cordial.Bot.Responding;

/// <summary>Bounds on one reply (configuration section "Bot:Responding").</summary>
public sealed class RespondingOptions
{
    /// <summary>
    /// The longest a reply may take from the user's message to the last edit; after it the reply ends with a reason and
    /// the user's slot is released whatever happened.
    /// </summary>
    /// <value>Default 10 minutes.</value>
    public TimeSpan MaxReplyDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Show conversation warnings (history cut, attachment not read…) under the reply.</summary>
    /// <value>Default true.</value>
    public bool ShowWarnings { get; set; } = true;

    public IEnumerable<string> Validate(string section = "Bot:Responding")
    {
        if (MaxReplyDuration < TimeSpan.FromSeconds(5) || MaxReplyDuration > TimeSpan.FromHours(1))
        {
            yield return $"{section}:MaxReplyDuration must be from 00:00:05 to 01:00:00 (was {MaxReplyDuration}).";
        }
    }
}
