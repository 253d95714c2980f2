namespace Cordial.Emulator.Llm;

/// <summary>Start-up settings of the LLM emulator. Read once when the <see cref="LlmEmulator"/> is created.</summary>
public sealed class LlmEmulatorOptions
{
    /// <summary>Behavior of every model without its own (see <see cref="LlmEmulator.SetBehavior"/>).</summary>
    public LlmBehavior DefaultBehavior
    {
        get;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            field = value;
        }
    } = new();

    /// <summary>Model ids the emulator knows; any other model gets 404 model_not_found.</summary>
    /// <value>Default sim-small, sim-large, sim-vision.</value>
    public IList<string> Models { get; } = ["sim-small", "sim-large", "sim-vision"];

    /// <summary>Clock used for latency pacing and timestamps.</summary>
    /// <value>Default <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider
    {
        get;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            field = value;
        }
    } = TimeProvider.System;
}
