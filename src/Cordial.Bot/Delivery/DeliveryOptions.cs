using System.ComponentModel.DataAnnotations;

namespace Cordial.Bot.Delivery;

/// <summary>Settings of streamed replies (configuration section <c>Delivery</c>). See docs/DELIVERY.md.</summary>
public sealed class DeliveryOptions : IValidatableObject
{
    /// <summary>Configuration section bound by <see cref="DeliveryServiceCollectionExtensions.AddReplyDelivery"/>.</summary>
    public const string SectionName = "Delivery";

    /// <summary>Plain content or embeds.</summary>
    /// <value>Default <see cref="DeliveryMode.Plain"/>.</value>
    public DeliveryMode Mode { get; set; } = DeliveryMode.Plain;

    /// <summary>Largest part in characters; null means Discord's limit for the mode (2000 plain, 4096 embed).</summary>
    /// <value>Default null. Range 160 to the mode's limit.</value>
    [Range(MessageSplitter.MinimumLimit, MessageSplitter.EmbedLimit)]
    public int? MaxMessageLength { get; set; }

    /// <summary>Embed colour while the answer is being generated (RGB).</summary>
    /// <value>Default 0x5865F2 (blurple).</value>
    [Range(0, 0xFFFFFF)]
    public int InProgressColor { get; set; } = 0x5865F2;

    /// <summary>Embed colour of a finished answer (RGB).</summary>
    /// <value>Default 0x57F287 (green).</value>
    [Range(0, 0xFFFFFF)]
    public int DoneColor { get; set; } = 0x57F287;

    /// <summary>Embed colour of an answer that failed part-way (RGB).</summary>
    /// <value>Default 0xED4245 (red).</value>
    [Range(0, 0xFFFFFF)]
    public int FailedColor { get; set; } = 0xED4245;

    /// <summary>How often the typing indicator is renewed until the first message is sent (Discord shows it ~10 s).</summary>
    /// <value>Default 8 seconds. Range 1 to 9 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:01", "00:00:09")]
    public TimeSpan TypingRefresh { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>
    /// Least time between two edits of an answer while it streams (the final edit goes at once). Discord allows 5
    /// message edits per 5 s per channel: edits as fast as the bucket allows spend all five in the first moments and
    /// then show nothing until it refills; one a second shows steady progress and spends fewer of the bot's 50
    /// requests per second. Zero edits as fast as the bucket allows.
    /// </summary>
    /// <value>Default 1 second. Range 0 to 10 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan EditInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether reply messages are sent with SUPPRESS_NOTIFICATIONS.</summary>
    /// <value>Default false.</value>
    public bool Silent { get; set; }

    /// <summary>Embed mode: whether the last part shows a footer with the model name, output tokens and tokens/s.</summary>
    /// <value>Default true.</value>
    public bool ShowFooter { get; set; } = true;

    /// <summary>
    /// Whether an in-progress part that ends inside a code block is shown with a temporary closing fence, so the
    /// code renders as code while it streams. Final parts are never affected.
    /// </summary>
    /// <value>Default true.</value>
    public bool CloseCodeBlocksWhileStreaming { get; set; } = true;

    /// <summary>
    /// Whether the model's reasoning is previewed (one small grey line with its latest words) until the answer
    /// starts. The answer replaces the preview; reasoning is never part of the final text.
    /// </summary>
    /// <value>Default false: reasoning is hidden.</value>
    public bool ShowReasoning { get; set; }

    /// <summary>Consecutive failed creates/edits after which the reply stops delivering (and stops reading the model).</summary>
    /// <value>Default 3. Range 1 to 10.</value>
    [Range(1, 10)]
    public int MaxConsecutiveFailures { get; set; } = 3;

    /// <summary>
    /// Longest answer delivered, in characters: beyond it the model stream is stopped and the reply ends with a
    /// notice (a runaway model must not flood the channel with messages).
    /// </summary>
    /// <value>Default 20000 (10 plain messages). Range 1000 to 200000.</value>
    [Range(1000, 200_000)]
    public int MaxReplyLength { get; set; } = 20_000;

    /// <summary>The part size actually used: <see cref="MaxMessageLength"/> or the mode's Discord limit.</summary>
    public int EffectiveMaxMessageLength => MaxMessageLength ?? ModeLimit;

    private int ModeLimit => Mode == DeliveryMode.Embed ? MessageSplitter.EmbedLimit : MessageSplitter.PlainLimit;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(Mode))
        {
            yield return new ValidationResult($"{SectionName}:Mode must be Plain or Embed (was {(int)Mode}).", [nameof(Mode)]);
        }
        else if (MaxMessageLength > ModeLimit)
        {
            yield return new ValidationResult(
                $"{SectionName}:MaxMessageLength is {MaxMessageLength} but {Mode} mode allows at most {ModeLimit}.", [nameof(MaxMessageLength)]);
        }
    }
}
