using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cordial.Emulator.Discord;

/// <summary>Discord wire JSON written by hand (JsonNode), independent of our client's models. Called under the lock.</summary>
public sealed partial class DiscordEmulator
{
    private static readonly JsonSerializerOptions CompactJson = new() { WriteIndented = false };

    internal static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);

    internal static string Iso(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);

    internal static byte[] Utf8(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, CompactJson);

    internal static JsonNode? ParseOrNull(string? json) => string.IsNullOrEmpty(json) ? null : JsonNode.Parse(json);

    internal JsonObject UserJson(EmulatedUser user)
    {
        JsonObject json = new()
        {
            ["id"] = Id(user.Id),
            ["username"] = user.Username,
            ["discriminator"] = "0",
            ["global_name"] = user.Bot ? null : user.Username,
            ["avatar"] = null,
            ["public_flags"] = 0,
            ["flags"] = 0,
        };
        if (user.Bot)
        {
            json["bot"] = true;
        }

        return json;
    }

    internal JsonObject UserJson(ulong userId) =>
        _users.TryGetValue(userId, out var user) ? UserJson(user) : UserJson(new EmulatedUser(userId, "unknown", false));

    internal ulong PermissionsOf(GuildState guild, ulong userId)
    {
        if (guild.Guild.OwnerId == userId)
        {
            return (1UL << 51) - 1;
        }

        var permissions = guild.Roles.TryGetValue(guild.Guild.Id, out var everyone) ? everyone.Permissions : 0;
        if (guild.Members.TryGetValue(userId, out var member))
        {
            foreach (var roleId in member.RoleIds)
            {
                if (guild.Roles.TryGetValue(roleId, out var role))
                {
                    permissions |= role.Permissions;
                }
            }
        }

        return (permissions & (1UL << 3)) != 0 ? (1UL << 51) - 1 : permissions;
    }

    internal JsonObject MemberJson(GuildState guild, MemberState member, bool includeUser, bool includePermissions)
    {
        JsonObject json = new()
        {
            ["roles"] = new JsonArray([.. member.RoleIds.Select(r => (JsonNode)Id(r))]),
            ["nick"] = null,
            ["avatar"] = null,
            ["joined_at"] = Iso(member.JoinedAt),
            ["premium_since"] = null,
            ["deaf"] = false,
            ["mute"] = false,
            ["flags"] = 0,
            ["pending"] = false,
            ["communication_disabled_until"] = null,
        };
        if (includeUser)
        {
            json["user"] = UserJson(member.UserId);
        }

        if (includePermissions)
        {
            json["permissions"] = PermissionsOf(guild, member.UserId).ToString(CultureInfo.InvariantCulture);
        }

        return json;
    }

    internal static JsonObject RoleJson(EmulatedRole role) => new()
    {
        ["id"] = Id(role.Id),
        ["name"] = role.Name,
        ["color"] = 0,
        ["colors"] = new JsonObject { ["primary_color"] = 0, ["secondary_color"] = null, ["tertiary_color"] = null },
        ["hoist"] = false,
        ["icon"] = null,
        ["unicode_emoji"] = null,
        ["position"] = role.Position,
        ["permissions"] = role.Permissions.ToString(CultureInfo.InvariantCulture),
        ["managed"] = false,
        ["mentionable"] = false,
        ["flags"] = 0,
    };

    internal JsonObject ChannelJson(EmulatedChannel channel)
    {
        _channels.TryGetValue(channel.Id, out var state);
        JsonObject json = new()
        {
            ["id"] = Id(channel.Id),
            ["type"] = (int)channel.Kind,
            ["flags"] = 0,
            ["last_message_id"] = state?.LastMessageId is { } last ? Id(last) : null,
        };
        if (channel.Kind == EmulatedChannelKind.DirectMessage)
        {
            json["recipients"] = new JsonArray([.. channel.RecipientIds.Select(r => (JsonNode)UserJson(r))]);
            return json;
        }

        json["guild_id"] = channel.GuildId is { } g ? Id(g) : null;
        json["name"] = channel.Name;
        json["parent_id"] = channel.ParentId is { } p ? Id(p) : null;
        json["nsfw"] = false;
        json["rate_limit_per_user"] = 0;
        if (channel.IsThread)
        {
            json["owner_id"] = channel.OwnerId is { } o ? Id(o) : null;
            json["message_count"] = state?.MessageCount ?? 0;
            json["member_count"] = 1;
            json["total_message_sent"] = state?.MessageCount ?? 0;
            json["thread_metadata"] = new JsonObject
            {
                ["archived"] = false,
                ["auto_archive_duration"] = 1440,
                ["archive_timestamp"] = Iso(channel.CreatedAt),
                ["locked"] = false,
                ["create_timestamp"] = Iso(channel.CreatedAt),
            };
        }
        else
        {
            json["position"] = channel.GuildId is { } guildId && _guilds.TryGetValue(guildId, out var guild) ? guild.ChannelIds.IndexOf(channel.Id) : 0;
            json["permission_overwrites"] = new JsonArray();
            json["topic"] = null;
        }

        return json;
    }

    internal JsonObject GuildJson(GuildState state, bool gatewayCreate)
    {
        var guild = state.Guild;
        JsonObject json = new()
        {
            ["id"] = Id(guild.Id),
            ["name"] = guild.Name,
            ["icon"] = null,
            ["splash"] = null,
            ["discovery_splash"] = null,
            ["banner"] = null,
            ["description"] = null,
            ["owner_id"] = Id(guild.OwnerId),
            ["afk_channel_id"] = null,
            ["afk_timeout"] = 300,
            ["verification_level"] = 0,
            ["default_message_notifications"] = 0,
            ["explicit_content_filter"] = 0,
            ["mfa_level"] = 0,
            ["nsfw_level"] = 0,
            ["premium_tier"] = 0,
            ["premium_subscription_count"] = 0,
            ["preferred_locale"] = "en-US",
            ["system_channel_id"] = null,
            ["system_channel_flags"] = 0,
            ["rules_channel_id"] = null,
            ["public_updates_channel_id"] = null,
            ["vanity_url_code"] = null,
            ["application_id"] = null,
            ["max_members"] = 500000,
            ["features"] = new JsonArray(),
            ["emojis"] = new JsonArray(),
            ["stickers"] = new JsonArray(),
            ["roles"] = new JsonArray([.. state.Roles.Values.OrderBy(r => r.Position).Select(r => (JsonNode)RoleJson(r))]),
        };
        if (!gatewayCreate)
        {
            return json;
        }

        var channels = state.ChannelIds.Select(id => _channels[id].Channel).ToList();
        json["unavailable"] = false;
        json["joined_at"] = Iso(guild.CreatedAt);
        json["large"] = state.Members.Count > 250;
        json["member_count"] = state.Members.Count;
        json["channels"] = new JsonArray([.. channels.Where(c => !c.IsThread).Select(c => (JsonNode)ChannelJson(c))]);
        json["threads"] = new JsonArray([.. channels.Where(c => c.IsThread).Select(c => (JsonNode)ChannelJson(c))]);
        json["members"] = new JsonArray([.. state.Members.Values.Take(1000).Select(m => (JsonNode)MemberJson(state, m, includeUser: true, includePermissions: false))]);
        json["presences"] = new JsonArray();
        json["voice_states"] = new JsonArray();
        json["stage_instances"] = new JsonArray();
        json["guild_scheduled_events"] = new JsonArray();
        json["soundboard_sounds"] = new JsonArray();
        return json;
    }

    internal JsonObject MessageJson(EmulatedMessage message, bool gateway, bool includeContent, int depth = 0)
    {
        GuildState? guild = message.GuildId is { } g ? _guilds.GetValueOrDefault(g) : null;
        var mentions = new JsonArray();
        foreach (var userId in message.MentionUserIds)
        {
            var user = UserJson(userId);
            if (gateway && guild is not null && guild.Members.TryGetValue(userId, out var mentioned))
            {
                user["member"] = MemberJson(guild, mentioned, includeUser: false, includePermissions: false);
            }

            mentions.Add(user);
        }

        JsonObject json = new()
        {
            ["id"] = Id(message.Id),
            ["channel_id"] = Id(message.ChannelId),
            ["type"] = message.Type,
            ["author"] = UserJson(message.AuthorId),
            ["content"] = includeContent ? message.Content : "",
            ["timestamp"] = Iso(message.CreatedAt),
            ["edited_timestamp"] = message.EditedAt is { } edited ? Iso(edited) : null,
            ["tts"] = false,
            ["mention_everyone"] = message.MentionEveryone,
            ["mentions"] = mentions,
            ["mention_roles"] = new JsonArray([.. message.MentionRoleIds.Select(r => (JsonNode)Id(r))]),
            ["attachments"] = includeContent ? new JsonArray([.. message.Attachments.Select(a => (JsonNode)AttachmentJson(a))]) : new JsonArray(),
            ["embeds"] = includeContent ? JsonNode.Parse(message.Embeds) : new JsonArray(),
            ["components"] = includeContent ? ParseOrNull(message.Components) ?? new JsonArray() : new JsonArray(),
            ["pinned"] = false,
            ["flags"] = message.Flags,
        };
        if (gateway && _channels.TryGetValue(message.ChannelId, out var own))
        {
            // Discord sends the channel's type on MESSAGE_CREATE/UPDATE; discord.js needs it to accept a DM in a
            // channel it has not cached yet.
            json["channel_type"] = (int)own.Channel.Kind;
        }

        if (message.GuildId is { } guildId)
        {
            json["guild_id"] = Id(guildId);
            if (gateway && guild is not null && guild.Members.TryGetValue(message.AuthorId, out var author))
            {
                json["member"] = MemberJson(guild, author, includeUser: false, includePermissions: false);
            }
        }

        if (message.InteractionId is { } interactionId && _interactions.TryGetValue(interactionId, out var interaction))
        {
            json["webhook_id"] = Id(interaction.ApplicationId);
            json["application_id"] = Id(interaction.ApplicationId);
            json["interaction_metadata"] = new JsonObject
            {
                ["id"] = Id(interaction.Id),
                ["type"] = 2,
                ["user"] = UserJson(interaction.UserId),
                ["name"] = interaction.CommandName,
                ["command_type"] = 1,
                ["authorizing_integration_owners"] = new JsonObject { ["0"] = interaction.GuildId is { } ig ? Id(ig) : "0" },
            };
        }

        if (message.ReplyToMessageId is { } replyTo)
        {
            json["message_reference"] = new JsonObject
            {
                ["type"] = 0,
                ["message_id"] = Id(replyTo),
                ["channel_id"] = Id(message.ChannelId),
                ["guild_id"] = message.GuildId is { } rg ? Id(rg) : null,
            };
            JsonNode? referenced = null;
            if (depth == 0 && _channels.TryGetValue(message.ChannelId, out var channel)
                && channel.Messages.TryGetValue(replyTo, out var parent) && !parent.Deleted)
            {
                referenced = MessageJson(parent, gateway: false, includeContent, depth + 1);
            }

            json["referenced_message"] = referenced;
        }

        if (_channels.TryGetValue(message.Id, out var thread) && thread.Channel.IsThread)
        {
            json["thread"] = ChannelJson(thread.Channel);
        }

        return json;
    }

    internal JsonObject AttachmentJson(EmulatedAttachment attachment)
    {
        var url = PublicBaseUrl + attachment.Path;
        return new JsonObject
        {
            ["id"] = Id(attachment.Id),
            ["filename"] = attachment.Filename,
            ["size"] = attachment.Size,
            ["url"] = url,
            ["proxy_url"] = url,
            ["content_type"] = attachment.ContentType,
        };
    }
}
