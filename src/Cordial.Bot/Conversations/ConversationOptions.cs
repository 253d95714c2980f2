namespace Cordial.Bot.Conversations;

/// <summary>Limits on what a conversation sends to the model (configuration section "Bot:Conversations").</summary>
public sealed class ConversationOptions
{
    /// <summary>Most messages taken from a conversation, newest first.</summary>
    /// <value>Default 25.</value>
    public int MaxMessages { get; set; } = 25;

    /// <summary>Most characters kept from one message (content plus inlined text attachments).</summary>
    /// <value>Default 100,000.</value>
    public int MaxTextLength { get; set; } = 100_000;

    /// <summary>Most images sent with a conversation (to vision models only), newest first.</summary>
    /// <value>Default 5.</value>
    public int MaxImages { get; set; } = 5;

    /// <summary>Most bytes read from one text attachment.</summary>
    /// <value>Default 200,000.</value>
    public int MaxAttachmentBytes { get; set; } = 200_000;

    /// <summary>Channels whose last message is remembered (for back-to-back chaining without REST).</summary>
    /// <value>Default 10,000.</value>
    public int TrackedChannels { get; set; } = 10_000;

    /// <summary>Returns one message per invalid setting, each naming it; empty when valid.</summary>
    public IEnumerable<string> Validate(string section = "Bot:Conversations")
    {
        if (MaxMessages is < 1 or > 500)
        {
            yield return $"{section}:MaxMessages must be from 1 to 500 (was {MaxMessages}).";
        }

        if (MaxTextLength is < 100 or > 10_000_000)
        {
            yield return $"{section}:MaxTextLength must be from 100 to 10,000,000 (was {MaxTextLength}).";
        }

        if (MaxImages is < 0 or > 50)
        {
            yield return $"{section}:MaxImages must be from 0 to 50 (was {MaxImages}).";
        }

        if (MaxAttachmentBytes is < 0 or > 25 * 1024 * 1024)
        {
            yield return $"{section}:MaxAttachmentBytes must be from 0 to 26,214,400 (was {MaxAttachmentBytes}).";
        }

        if (TrackedChannels < 1)
        {
            yield return $"{section}:TrackedChannels must be at least 1 (was {TrackedChannels}).";
        }
    }
}
