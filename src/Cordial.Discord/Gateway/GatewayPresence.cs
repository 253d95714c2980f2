namespace Cordial.Discord.Gateway;

/// <summary>A presence update (op 3): the bot's status and optional activity.</summary>
public sealed class GatewayPresence
{
    /// <value>"online" (default), "dnd", "idle", "invisible" or "offline".</value>
    public string Status { get; set; } = "online";

    /// <value>Activity text, or null for no activity.</value>
    public string? ActivityName { get; set; }

    /// <value>Activity type: 0 playing, 2 listening, 3 watching, 4 custom (uses <see cref="ActivityName"/> as state), 5 competing.</value>
    public int ActivityType { get; set; }

    public bool Afk { get; set; }
}
