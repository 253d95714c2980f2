namespace Cordial.Discord.Gateway;

/// <summary>The <c>properties</c> object of IDENTIFY.</summary>
public sealed class GatewayIdentifyProperties
{
    /// <value>Operating system; defaults to the running OS family ("linux", "windows", "osx").</value>
    public string Os { get; set; } = OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "osx" : "linux";

    /// <value>Library name; defaults to "Cordial".</value>
    public string Browser { get; set; } = "Cordial";

    /// <value>Library name; defaults to "Cordial".</value>
    public string Device { get; set; } = "Cordial";
}
