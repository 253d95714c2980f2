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

    /// <summary>
    /// Most tokens (estimated) a prompt sends: system prompt, summary and history. A model's own
    /// <c>ContextWindowTokens</c>, less room for its answer, lowers it further; it never raises it (this is also a cost cap).
    /// History is cut from the oldest end to fit; the newest message always stays.
    /// </summary>
    /// <value>Default 16,000.</value>
    public int MaxPromptTokens { get; set; } = 16_000;

    /// <summary>Room kept for the answer inside a model's context window (when the model's own output limit is unknown).</summary>
    /// <value>Default 1,024.</value>
    public int AnswerTokens { get; set; } = 1_024;

    /// <summary>Tokens counted for each image sent to a vision model.</summary>
    /// <value>Default 765 (a 1024×1024 image at high detail on OpenAI models).</value>
    public int ImageTokens { get; set; } = 765;

    /// <summary>Whether the turns cut from a long conversation are summarized by the model in the background and the summary sent instead.</summary>
    /// <value>Default true.</value>
    public bool Summaries { get; set; } = true;

    /// <summary>Most tokens the model may write for one summary.</summary>
    /// <value>Default 400.</value>
    public int SummaryMaxTokens { get; set; } = 400;

    /// <summary>Summaries waiting to be made; requests beyond it are dropped (and asked again by a later message).</summary>
    /// <value>Default 100.</value>
    public int SummaryQueueCapacity { get; set; } = 100;

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

        if (MaxPromptTokens is < 500 or > 10_000_000)
        {
            yield return $"{section}:MaxPromptTokens must be from 500 to 10,000,000 (was {MaxPromptTokens}).";
        }

        if (AnswerTokens is < 0 or > 1_000_000)
        {
            yield return $"{section}:AnswerTokens must be from 0 to 1,000,000 (was {AnswerTokens}).";
        }

        if (ImageTokens is < 0 or > 100_000)
        {
            yield return $"{section}:ImageTokens must be from 0 to 100,000 (was {ImageTokens}).";
        }

        if (SummaryMaxTokens is < 50 or > 10_000)
        {
            yield return $"{section}:SummaryMaxTokens must be from 50 to 10,000 (was {SummaryMaxTokens}).";
        }

        if (SummaryQueueCapacity is < 1 or > 100_000)
        {
            yield return $"{section}:SummaryQueueCapacity must be from 1 to 100,000 (was {SummaryQueueCapacity}).";
        }
    }
}
