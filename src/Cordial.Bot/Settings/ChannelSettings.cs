namespace Cordial.Bot.Settings;

/// <summary>What admins set at run time for a channel (with /model and /persona). Null means "as configured".</summary>
public sealed record ChannelSettings(string? Persona = null, string? Model = null)
{
    public static readonly ChannelSettings Empty = new();
}
