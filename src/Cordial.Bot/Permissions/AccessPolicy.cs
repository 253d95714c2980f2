using Cordial.Bot.Messages;

namespace Cordial.Bot.Permissions;

/// <summary>Why the bot may or may not answer.</summary>
public enum AccessDecision
{
    Allowed,
    AllowedAsAdmin,
    UserBlocked,
    RoleBlocked,
    ChannelBlocked,
    UserNotAllowed,
    ChannelNotAllowed,
    DirectMessagesDisabled,
}

/// <summary>Applies <see cref="AccessOptions"/>. Immutable: build a new one when the configuration changes.</summary>
public sealed class AccessPolicy
{
    private readonly HashSet<ulong> _admins;
    private readonly HashSet<ulong> _allowedUsers;
    private readonly HashSet<ulong> _blockedUsers;
    private readonly HashSet<ulong> _allowedRoles;
    private readonly HashSet<ulong> _blockedRoles;
    private readonly HashSet<ulong> _allowedChannels;
    private readonly HashSet<ulong> _blockedChannels;
    private readonly bool _allowDirectMessages;

    public AccessPolicy(AccessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _admins = [.. options.AdminIds];
        _allowedUsers = [.. options.AllowedUserIds];
        _blockedUsers = [.. options.BlockedUserIds];
        _allowedRoles = [.. options.AllowedRoleIds];
        _blockedRoles = [.. options.BlockedRoleIds];
        _allowedChannels = [.. options.AllowedChannelIds];
        _blockedChannels = [.. options.BlockedChannelIds];
        _allowDirectMessages = options.AllowDirectMessages;
    }

    public bool IsAdmin(ulong userId) => _admins.Contains(userId);

    public AccessDecision Check(MessageAuthor author, ChannelInfo channel)
    {
        if (_admins.Contains(author.Id))
        {
            return AccessDecision.AllowedAsAdmin;
        }

        if (_blockedUsers.Contains(author.Id))
        {
            return AccessDecision.UserBlocked;
        }

        if (author.RoleIds.Any(_blockedRoles.Contains))
        {
            return AccessDecision.RoleBlocked;
        }

        if (channel.Kind == ChannelKind.DirectMessage)
        {
            if (!_allowDirectMessages)
            {
                return AccessDecision.DirectMessagesDisabled;
            }
        }
        else
        {
            if (channel.SelfAndAncestors().Any(_blockedChannels.Contains))
            {
                return AccessDecision.ChannelBlocked;
            }

            if (_allowedChannels.Count > 0 && !channel.SelfAndAncestors().Any(_allowedChannels.Contains))
            {
                return AccessDecision.ChannelNotAllowed;
            }
        }

        var restricted = _allowedUsers.Count > 0 || _allowedRoles.Count > 0;
        if (restricted && !_allowedUsers.Contains(author.Id) && !author.RoleIds.Any(_allowedRoles.Contains))
        {
            return AccessDecision.UserNotAllowed;
        }

        return AccessDecision.Allowed;
    }

    /// <summary>A short sentence for the user when a slash command is refused (messages are ignored silently).</summary>
    public static string Describe(AccessDecision decision) => decision switch
    {
        AccessDecision.UserBlocked or AccessDecision.RoleBlocked or AccessDecision.UserNotAllowed => "You are not allowed to use this bot.",
        AccessDecision.ChannelBlocked or AccessDecision.ChannelNotAllowed => "This bot does not answer in this channel.",
        AccessDecision.DirectMessagesDisabled => "This bot does not answer direct messages.",
        _ => "",
    };
}
