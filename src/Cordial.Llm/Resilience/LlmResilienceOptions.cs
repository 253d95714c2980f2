namespace Cordial.Llm.Resilience;

/// <summary>Settings of <see cref="ResilientChatClient"/>, bound from configuration section <see cref="SectionName"/>.</summary>
/// <remarks>Validated by <see cref="LlmResilienceOptionsValidator"/>; the stage copies the values when it is created.</remarks>
public sealed class LlmResilienceOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Llm:Resilience";

    /// <summary>How long one streaming attempt may take to produce its first update; a timeout counts as a transient failure (retried).</summary>
    /// <value>Default 30 s; 1 s to 1 h.</value>
    public TimeSpan FirstTokenTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a whole request may take, retries and streaming included; a timeout is not retried.</summary>
    /// <value>Default 300 s; at least <see cref="FirstTokenTimeout"/>, at most 1 h.</value>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Retries after the first attempt, for transient failures before any output only.</summary>
    /// <value>Default 2; 0 to 10.</value>
    public int MaxRetries { get; set; } = 2;

    /// <summary>The first retry delay; each further retry doubles it (with jitter), up to <see cref="MaxDelay"/>.</summary>
    /// <value>Default 1 s; 0 to 1 min.</value>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of the exponential backoff delay.</summary>
    /// <value>Default 30 s; at least <see cref="BaseDelay"/>, at most 10 min.</value>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest provider Retry-After the stage waits for. A rate limit asking for longer is not retried here
    /// (the fallback model answers instead).
    /// </summary>
    /// <value>Default 60 s; 0 to 10 min.</value>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Share of failed attempts within <see cref="BreakerSamplingDuration"/> that opens a provider's circuit.</summary>
    /// <value>Default 0.5; greater than 0, at most 1.</value>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Attempts needed within <see cref="BreakerSamplingDuration"/> before the circuit may open.</summary>
    /// <value>Default 4; at least 2.</value>
    public int BreakerMinimumThroughput { get; set; } = 4;

    /// <summary>The window in which attempts are counted for the failure ratio.</summary>
    /// <value>Default 60 s; 0.5 s to 1 day.</value>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an open circuit rejects calls before one probe is let through (half-open).</summary>
    /// <value>Default 30 s; 0.5 s to 1 day.</value>
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Copies these options.</summary>
    public LlmResilienceOptions Clone() => (LlmResilienceOptions)MemberwiseClone();
}
