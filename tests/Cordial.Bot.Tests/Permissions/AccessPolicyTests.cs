using Cordial.Bot.Messages;
using Cordial.Bot.Permissions;

namespace Cordial.Bot.Tests.Permissions;

public sealed class AccessPolicyTests
{
    private static readonly ChannelInfo General = new(10, ChannelKind.GuildText, 1, CategoryId: 5);
    private static readonly ChannelInfo Thread = new(77, ChannelKind.Thread, 1, ParentChannelId: 10, CategoryId: 5);
    private static readonly ChannelInfo Other = new(11, ChannelKind.GuildText, 1, CategoryId: 6);
    private static readonly ChannelInfo Dm = new(20, ChannelKind.DirectMessage);

    private static MessageAuthor User(ulong id, params ulong[] roles) => new(id, "u", false) { RoleIds = roles };

    [Fact]
    public void Everyone_everywhere_by_default()
    {
        var policy = new AccessPolicy(new AccessOptions());

        Assert.Equal(AccessDecision.Allowed, policy.Check(User(1), General));
        Assert.Equal(AccessDecision.Allowed, policy.Check(User(1), Dm));
    }

    [Fact]
    public void Blocked_wins_over_allowed()
    {
        var policy = new AccessPolicy(new AccessOptions { AllowedUserIds = [1], BlockedUserIds = [1], AllowedRoleIds = [300], BlockedRoleIds = [301] });

        Assert.Equal(AccessDecision.UserBlocked, policy.Check(User(1), General));
        Assert.Equal(AccessDecision.RoleBlocked, policy.Check(User(2, 300, 301), General));
        Assert.Equal(AccessDecision.Allowed, policy.Check(User(2, 300), General));
        Assert.Equal(AccessDecision.UserNotAllowed, policy.Check(User(3), General));
    }

    [Fact]
    public void A_channel_rule_covers_its_threads_and_a_category_rule_its_channels()
    {
        var blocked = new AccessPolicy(new AccessOptions { BlockedChannelIds = [10] });
        var allowedCategory = new AccessPolicy(new AccessOptions { AllowedChannelIds = [5] });

        Assert.Equal(AccessDecision.ChannelBlocked, blocked.Check(User(1), Thread));
        Assert.Equal(AccessDecision.Allowed, blocked.Check(User(1), Other));
        Assert.Equal(AccessDecision.Allowed, allowedCategory.Check(User(1), Thread));
        Assert.Equal(AccessDecision.ChannelNotAllowed, allowedCategory.Check(User(1), Other));
        Assert.Equal(AccessDecision.Allowed, allowedCategory.Check(User(1), Dm)); // channel lists do not apply to DMs
    }

    [Fact]
    public void Direct_messages_can_be_turned_off_and_role_allow_lists_exclude_dm_users()
    {
        Assert.Equal(AccessDecision.DirectMessagesDisabled, new AccessPolicy(new AccessOptions { AllowDirectMessages = false }).Check(User(1), Dm));
        Assert.Equal(AccessDecision.UserNotAllowed, new AccessPolicy(new AccessOptions { AllowedRoleIds = [300] }).Check(User(1), Dm));
    }

    [Fact]
    public void Admins_bypass_every_rule()
    {
        var policy = new AccessPolicy(new AccessOptions
        {
            AdminIds = [9], BlockedUserIds = [9], BlockedChannelIds = [10], AllowedUserIds = [1], AllowDirectMessages = false,
        });

        Assert.Equal(AccessDecision.AllowedAsAdmin, policy.Check(User(9), General));
        Assert.Equal(AccessDecision.AllowedAsAdmin, policy.Check(User(9), Dm));
        Assert.True(policy.IsAdmin(9));
        Assert.False(policy.IsAdmin(1));
    }
}
