using System.Net;

namespace Cordial.Configuration;

/// <summary>Where the bot's own HTTP endpoints (/health, /alive; the sandbox page) listen (configuration section "Http").</summary>
public sealed class HttpOptions
{
    public const string SectionName = "Http";

    /// <summary>The address to listen on.</summary>
    /// <value>Default 127.0.0.1 (this machine only). Use 0.0.0.0 to expose /health to a container orchestrator.</value>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>The port; 0 picks a free one. The command line's --port wins.</summary>
    /// <value>Default 5080.</value>
    public int Port { get; set; } = 5080;

    public IEnumerable<string> Validate(string section = SectionName)
    {
        if (!IPAddress.TryParse(Address, out _))
        {
            yield return $"{section}:Address must be an IP address such as 127.0.0.1 or 0.0.0.0 (was '{Address}').";
        }

        if (Port is < 0 or > 65535)
        {
            yield return $"{section}:Port must be from 0 to 65535 (was {Port}).";
        }
    }
}
