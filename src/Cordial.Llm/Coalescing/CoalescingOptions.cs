namespace Cordial.Llm.Coalescing;

/// <summary>Settings of <see cref="CoalescingChatClient"/>, bound from configuration section <see cref="SectionName"/>.</summary>
/// <remarks>Validated by <see cref="CoalescingOptionsValidator"/>; the stage copies the values when it is created.</remarks>
public sealed class CoalescingOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Llm:Coalescing";

    /// <summary>Whether identical in-flight requests share one upstream call.</summary>
    /// <value>Default true.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Most distinct requests tracked in flight at once; further requests go upstream on their own.</summary>
    /// <value>Default 1024; 1 to 100000.</value>
    public int MaxInFlight { get; set; } = 1024;

    /// <summary>
    /// Most updates of one in-flight stream buffered for late joiners. A stream longer than this stops accepting
    /// joiners (those already attached still get every update).
    /// </summary>
    /// <value>Default 8192; 16 to 1000000.</value>
    public int MaxBufferedUpdates { get; set; } = 8192;

    /// <summary>Copies these options.</summary>
    public CoalescingOptions Clone() => (CoalescingOptions)MemberwiseClone();
}
