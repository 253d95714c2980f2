namespace Cordial.Sandbox;

/// <summary>How to start a <see cref="SandboxHost"/>.</summary>
public sealed class SandboxHostOptions
{
    /// <summary>The port on 127.0.0.1; 0 picks a free one.</summary>
    /// <value>Default 5080.</value>
    public int Port { get; set; } = 5080;

    /// <summary>Where the sandbox keeps its database (created when missing).</summary>
    /// <value>Default "data" (relative to the working directory).</value>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// Extra configuration (the same sections as `cordial run`: Llm, Bot:*, Delivery, Logging …). Null: defaults and the
    /// simulated model. Discord connection settings are always the sandbox's own. When it configures Llm, that real
    /// model answers and no simulated model is started.
    /// </summary>
    public IConfiguration? Configuration { get; set; }
}
