namespace Cordial.Bot.Permissions;

/// <summary>
/// Who may use the bot and where (configuration section "Bot:Access"). Empty allow-lists allow everyone; blocked wins
/// over allowed; admins bypass every rule. A channel rule covers the channel's threads, and a rule naming a category
/// covers its channels.
/// </summary>
public sealed class AccessOptions
{
    /// <summary>Users who may always use the bot and run admin commands (/model, /persona).</summary>
    public List<ulong> AdminIds { get; set; } = [];

    /// <summary>When non-empty (with <see cref="AllowedRoleIds"/>), only these users (or holders of those roles) may use the bot.</summary>
    public List<ulong> AllowedUserIds { get; set; } = [];

    public List<ulong> BlockedUserIds { get; set; } = [];

    /// <summary>When non-empty (with <see cref="AllowedUserIds"/>), only holders of these roles (or those users) may use the bot.</summary>
    public List<ulong> AllowedRoleIds { get; set; } = [];

    public List<ulong> BlockedRoleIds { get; set; } = [];

    /// <summary>When non-empty, the bot answers only in these channels (and their threads), or channels of these categories.</summary>
    public List<ulong> AllowedChannelIds { get; set; } = [];

    public List<ulong> BlockedChannelIds { get; set; } = [];

    /// <summary>Whether the bot answers direct messages.</summary>
    /// <value>Default true.</value>
    public bool AllowDirectMessages { get; set; } = true;
}
