namespace Cordial.Emulator.Discord.Rest;

/// <summary>How a route is authenticated.</summary>
internal enum RestAuth
{
    /// <summary>No authentication (GET /gateway).</summary>
    None,

    /// <summary>"Authorization: Bot &lt;token&gt;".</summary>
    Bot,

    /// <summary>Interaction id/token in the path; no Authorization header, exempt from the global limit.</summary>
    Interaction,
}
