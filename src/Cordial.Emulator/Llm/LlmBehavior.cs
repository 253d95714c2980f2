namespace Cordial.Emulator.Llm;

/// <summary>How an emulated model answers: latency, speed, and what it says. Per model or default.</summary>
/// <remarks>
/// Not thread-safe to mutate while in use: <see cref="LlmEmulator.SetBehavior"/> stores a copy, so change a
/// behavior by calling it again.
/// </remarks>
public sealed class LlmBehavior
{
    /// <summary>Delay before the first token is produced.</summary>
    /// <value>Default 50 ms. Must not be negative.</value>
    public TimeSpan TimeToFirstToken
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            field = value;
        }
    } = TimeSpan.FromMilliseconds(50);

    /// <summary>Generation speed after the first token; 0 or less produces every token at once.</summary>
    /// <value>Default 200. Must be a finite number.</value>
    public double TokensPerSecond
    {
        get;
        set
        {
            if (!double.IsFinite(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "TokensPerSecond must be a finite number.");
            }

            field = value;
        }
    } = 200;

    /// <summary>What an unscripted request is answered with.</summary>
    /// <value>Default <see cref="LlmAnswerMode.Echo"/>.</value>
    public LlmAnswerMode Answer
    {
        get;
        set
        {
            if (!Enum.IsDefined(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown answer mode.");
            }

            field = value;
        }
    } = LlmAnswerMode.Echo;

    /// <summary>Number of words in a <see cref="LlmAnswerMode.Filler"/> answer.</summary>
    /// <value>Default 50. Between 0 and 100,000.</value>
    public int FillerTokens
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 100_000);
            field = value;
        }
    } = 50;

    /// <summary>
    /// When set, streamed before the answer as reasoning ("reasoning_content" deltas for OpenAI, a "thinking" block
    /// for Anthropic).
    /// </summary>
    /// <value>Default null (no reasoning).</value>
    public string? Reasoning { get; set; }

    /// <summary>Returns an independent copy.</summary>
    public LlmBehavior Clone() => new()
    {
        TimeToFirstToken = TimeToFirstToken,
        TokensPerSecond = TokensPerSecond,
        Answer = Answer,
        FillerTokens = FillerTokens,
        Reasoning = Reasoning,
    };
}
