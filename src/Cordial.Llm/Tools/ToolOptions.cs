namespace Cordial.Llm.Tools;

/// <summary>Settings of <see cref="ToolInvokingChatClient"/>, bound from configuration section <see cref="SectionName"/>.</summary>
public sealed class ToolOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Llm:Tools";

    /// <summary>
    /// Rounds of tool calls per request. After the last round the model is asked once more with tool use
    /// disabled, so it answers in text.
    /// </summary>
    /// <value>Default 4; 0 (tools never invoked) to 16.</value>
    public int MaxRounds { get; set; } = 4;

    /// <summary>How long one tool invocation may run before the model is told it timed out.</summary>
    /// <value>Default 10 s; 100 ms to 10 min.</value>
    public TimeSpan ToolTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Tool calls executed per round; further calls in the same round get an error result.</summary>
    /// <value>Default 8; 1 to 64.</value>
    public int MaxCallsPerRound { get; set; } = 8;

    /// <summary>Whether the exception message of a failing tool is shown to the model (it may contain internals).</summary>
    /// <value>Default false: the model is told only that the tool failed.</value>
    public bool IncludeDetailedErrors { get; set; }

    /// <summary>Copies these options.</summary>
    public ToolOptions Clone() => (ToolOptions)MemberwiseClone();
}
