using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;

namespace Cordial.Emulator.Discord.Rest;

/// <summary>Route table and handlers.</summary>
internal static partial class DiscordRestApi
{
    private static void MapUsers(RouteGroupBuilder api)
    {
        Route(api, "GET", "/gateway", RestAuth.None, RestBucket.Default, call =>
            Task.FromResult(RestReply.Ok(new JsonObject { ["url"] = GatewayUrl(call) })));
        Route(api, "GET", "/gateway/bot", RestAuth.Bot, RestBucket.Default, call =>
            Task.FromResult(RestReply.Ok(new JsonObject
            {
                ["url"] = GatewayUrl(call),
                ["shards"] = call.Emulator.Options.RecommendedShards,
                ["session_start_limit"] = new JsonObject
                {
                    ["total"] = 1000,
                    ["remaining"] = Math.Max(0, 1000 - (int)call.Emulator.GetStats(call.Bot.Bot.User.Id).Identifies),
                    ["reset_after"] = 86_400_000,
                    ["max_concurrency"] = call.Emulator.Options.MaxConcurrency,
                },
            })));
        Route(api, "GET", "/users/@me", RestAuth.Bot, RestBucket.Default, call => Task.FromResult(RestReply.Ok(CurrentUser(call))));
        Route(api, "PATCH", "/users/@me", RestAuth.Bot, RestBucket.Default, call => Task.FromResult(RestReply.Ok(CurrentUser(call))));
        Route(api, "GET", "/users/{user_id}", RestAuth.Bot, RestBucket.Default, call =>
            Task.FromResult(RestReply.Ok(call.Emulator.RestGetUser(call.Snowflake("user_id")))));
        Route(api, "POST", "/users/@me/channels", RestAuth.Bot, RestBucket.Default, async call =>
        {
            var body = await call.ReadJsonObjectAsync();
            var recipient = MessagePayloadParser.ReadSnowflake(body, "recipient_id")
                ?? throw DiscordRestException.InvalidFormBody("recipient_id", "BASE_TYPE_REQUIRED", "This field is required");
            return RestReply.Ok(call.Emulator.RestOpenDirectMessage(call.Bot, recipient));
        });
        Route(api, "GET", "/oauth2/applications/@me", RestAuth.Bot, RestBucket.Default, call => Task.FromResult(RestReply.Ok(Application(call))));
        Route(api, "GET", "/applications/@me", RestAuth.Bot, RestBucket.Default, call => Task.FromResult(RestReply.Ok(Application(call))));
    }

    private static void MapMessages(RouteGroupBuilder api)
    {
        Route(api, "GET", "/channels/{channel_id}", RestAuth.Bot, RestBucket.Default, call =>
            Task.FromResult(RestReply.Ok(call.Emulator.RestGetChannel(call.Bot, call.Snowflake("channel_id")))));
        Route(api, "GET", "/channels/{channel_id}/messages", RestAuth.Bot, RestBucket.Default, call =>
            Task.FromResult(RestReply.Ok(call.Emulator.RestGetMessages(call.Bot, call.Snowflake("channel_id"),
                call.QuerySnowflake("before"), call.QuerySnowflake("after"), call.QuerySnowflake("around"), ParseLimit(call)))));
        Route(api, "GET", "/channels/{channel_id}/messages/pins", RestAuth.Bot, RestBucket.Default, call =>
        {
            call.Emulator.RestGetChannel(call.Bot, call.Snowflake("channel_id"));
            return Task.FromResult(RestReply.Ok(new JsonObject { ["items"] = new JsonArray(), ["has_more"] = false }));
        });
        Route(api, "GET", "/channels/{channel_id}/pins", RestAuth.Bot, RestBucket.Default, call =>
        {
            call.Emulator.RestGetChannel(call.Bot, call.Snowflake("channel_id"));
            return Task.FromResult(RestReply.Ok(new JsonArray()));
        });
        Route(api, "GET", "/channels/{channel_id}/messages/{message_id}", RestAuth.Bot, RestBucket.Default, call =>
            Task.FromResult(RestReply.Ok(call.Emulator.RestGetMessage(call.Bot, call.Snowflake("channel_id"), call.Snowflake("message_id")))));
        Route(api, "POST", "/channels/{channel_id}/messages", RestAuth.Bot, RestBucket.MessageWrite, async call =>
        {
            var channelId = call.Snowflake("channel_id");
            var payload = await call.ReadMessageAsync();
            return RestReply.Ok(call.Emulator.RestCreateMessage(call.Bot, channelId, payload));
        });
        Route(api, "PATCH", "/channels/{channel_id}/messages/{message_id}", RestAuth.Bot, RestBucket.MessageWrite, async call =>
        {
            var channelId = call.Snowflake("channel_id");
            var messageId = call.Snowflake("message_id");
            var payload = await call.ReadMessageAsync();
            return RestReply.Ok(call.Emulator.RestEditMessage(call.Bot, channelId, messageId, payload));
        });
        Route(api, "DELETE", "/channels/{channel_id}/messages/{message_id}", RestAuth.Bot, RestBucket.Default, call =>
        {
            call.Emulator.RestDeleteMessage(call.Bot, call.Snowflake("channel_id"), call.Snowflake("message_id"));
            return Task.FromResult(RestReply.NoContent);
        });
        Route(api, "POST", "/channels/{channel_id}/typing", RestAuth.Bot, RestBucket.Default, call =>
        {
            call.Emulator.RestTyping(call.Bot, call.Snowflake("channel_id"));
            return Task.FromResult(RestReply.NoContent);
        });
        foreach (var method in (string[])["PUT", "DELETE"])
        {
            // reactions are accepted and not stored
            Route(api, method, "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me", RestAuth.Bot, RestBucket.Default, call =>
            {
                call.Emulator.RestGetMessage(call.Bot, call.Snowflake("channel_id"), call.Snowflake("message_id"));
                return Task.FromResult(RestReply.NoContent);
            });
            Route(api, method, "/channels/{channel_id}/thread-members/@me", RestAuth.Bot, RestBucket.Default, call =>
            {
                call.Emulator.RestRequireThread(call.Bot, call.Snowflake("channel_id"));
                return Task.FromResult(RestReply.NoContent);
            });
        }

        Route(api, "POST", "/channels/{channel_id}/messages/{message_id}/threads", RestAuth.Bot, RestBucket.Default, async call =>
        {
            var body = await call.ReadJsonObjectAsync();
            return RestReply.Created(call.Emulator.RestCreateThread(call.Bot, call.Snowflake("channel_id"), call.Snowflake("message_id"), ReadString(body, "name"), null));
        });
        Route(api, "POST", "/channels/{channel_id}/threads", RestAuth.Bot, RestBucket.Default, async call =>
        {
            var body = await call.ReadJsonObjectAsync();
            var type = body["type"] is JsonValue t && t.TryGetValue<int>(out var typeValue) ? typeValue : (int?)null;
            return RestReply.Created(call.Emulator.RestCreateThread(call.Bot, call.Snowflake("channel_id"), null, ReadString(body, "name"), type));
        });
    }

    private static void MapGuilds(RouteGroupBuilder api)
    {
        Route(api, "GET", "/guilds/{guild_id}", RestAuth.Bot, RestBucket.Default, call =>
            Task.FromResult(RestReply.Ok(call.Emulator.RestGetGuild(call.Snowflake("guild_id")))));
        Route(api, "GET", "/guilds/{guild_id}/channels", RestAuth.Bot, RestBucket.Default, call =>
            Task.FromResult(RestReply.Ok(call.Emulator.RestGetGuildChannels(call.Snowflake("guild_id")))));
        Route(api, "GET", "/guilds/{guild_id}/roles", RestAuth.Bot, RestBucket.Default, call =>
            Task.FromResult(RestReply.Ok(call.Emulator.RestGetGuildRoles(call.Snowflake("guild_id")))));
        Route(api, "GET", "/guilds/{guild_id}/members", RestAuth.Bot, RestBucket.Default, call =>
        {
            var text = call.Http.Request.Query["limit"].ToString();
            var limit = text.Length == 0 ? 1 : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var l) && l is >= 1 and <= 1000
                ? l
                : throw DiscordRestException.InvalidFormBody("limit", "NUMBER_TYPE_MAX", "int value should be between 1 and 1000.");
            return Task.FromResult(RestReply.Ok(call.Emulator.RestListMembers(call.Snowflake("guild_id"), call.QuerySnowflake("after") ?? 0, limit)));
        });
        Route(api, "GET", "/guilds/{guild_id}/members/{user_id}", RestAuth.Bot, RestBucket.Default, call =>
            Task.FromResult(RestReply.Ok(call.Emulator.RestGetMember(call.Snowflake("guild_id"), call.Snowflake("user_id")))));
    }

    private static void MapInteractions(RouteGroupBuilder api)
    {
        Route(api, "POST", "/interactions/{interaction_id}/{interaction_token}/callback", RestAuth.Interaction, RestBucket.Default, async call =>
        {
            var interaction = call.Emulator.RequireInteraction(call.Snowflake("interaction_id"), call.Value("interaction_token"));
            JsonObject body;
            MessagePayload? payload = null;
            if (call.Http.Request.HasFormContentType)
            {
                // multipart: payload_json holds {type, data}; files belong to data
                var form = await call.Http.Request.ReadFormAsync(call.Aborted);
                body = System.Text.Json.Nodes.JsonNode.Parse(form["payload_json"].ToString()) as JsonObject ?? throw DiscordRestException.InvalidJson();
            }
            else
            {
                body = await call.ReadJsonObjectAsync();
            }

            var type = body["type"] is JsonValue t && t.TryGetValue<int>(out var typeValue)
                ? typeValue
                : throw DiscordRestException.InvalidFormBody("type", "BASE_TYPE_REQUIRED", "This field is required");
            EmulatedMessage? message;
            if (type == 8)
            {
                // autocomplete result: suggestions, no message
                message = call.Emulator.RespondToInteraction(interaction, type, null, AutocompleteChoicesParser.Parse(body["data"]));
            }
            else
            {
                if (body["data"] is JsonObject data)
                {
                    payload = MessagePayloadParser.Parse(data, []);
                }

                var draft = type == 4 && payload is not null ? call.Emulator.ToInteractionDraft(interaction, payload)
                    : payload is null ? null
                    : new MessageDraft(payload.Content ?? "", payload.EmbedsJson ?? "[]", payload.Flags ?? 0, payload.AllowedMentionsJson, payload.ComponentsJson, null, []);
                message = call.Emulator.RespondToInteraction(interaction, type, draft);
            }

            if (!string.Equals(call.Http.Request.Query["with_response"], "true", StringComparison.OrdinalIgnoreCase))
            {
                return RestReply.NoContent;
            }

            JsonObject resource = new() { ["type"] = type };
            if (message is not null)
            {
                resource["message"] = call.Emulator.MessageJsonFor(message);
            }

            return RestReply.Ok(new JsonObject
            {
                ["interaction"] = new JsonObject
                {
                    ["id"] = DiscordEmulator.Id(interaction.Id),
                    ["type"] = interaction.Type,
                    ["activity_instance_id"] = null,
                    ["response_message_id"] = message is null ? null : DiscordEmulator.Id(message.Id),
                    ["response_message_loading"] = type == 5,
                    ["response_message_ephemeral"] = message is not null && (message.Flags & 64) != 0,
                },
                ["resource"] = resource,
            });
        });
        Route(api, "POST", "/webhooks/{application_id}/{interaction_token}", RestAuth.Interaction, RestBucket.InteractionWebhook, async call =>
        {
            var interaction = call.Emulator.RequireInteractionWebhook(call.Snowflake("application_id"), call.Value("interaction_token"));
            var payload = await call.ReadMessageAsync();
            var message = call.Emulator.FollowUp(interaction, call.Emulator.ToInteractionDraft(interaction, payload));
            return RestReply.Ok(call.Emulator.MessageJsonFor(message));
        });
        Route(api, "GET", "/webhooks/{application_id}/{interaction_token}/messages/{message_id}", RestAuth.Interaction, RestBucket.Default, call =>
        {
            var interaction = call.Emulator.RequireInteractionWebhook(call.Snowflake("application_id"), call.Value("interaction_token"));
            var message = call.Emulator.GetInteractionMessage(interaction, call.Value("message_id"));
            return Task.FromResult(RestReply.Ok(call.Emulator.MessageJsonFor(message)));
        });
        Route(api, "PATCH", "/webhooks/{application_id}/{interaction_token}/messages/{message_id}", RestAuth.Interaction, RestBucket.InteractionWebhook, async call =>
        {
            var interaction = call.Emulator.RequireInteractionWebhook(call.Snowflake("application_id"), call.Value("interaction_token"));
            var messageId = call.Value("message_id");
            var payload = await call.ReadMessageAsync();
            var edit = call.Emulator.ToInteractionEdit(interaction, messageId, payload);
            var message = call.Emulator.EditInteractionMessage(interaction, messageId, edit);
            return RestReply.Ok(call.Emulator.MessageJsonFor(message));
        });
        Route(api, "DELETE", "/webhooks/{application_id}/{interaction_token}/messages/{message_id}", RestAuth.Interaction, RestBucket.Default, call =>
        {
            var interaction = call.Emulator.RequireInteractionWebhook(call.Snowflake("application_id"), call.Value("interaction_token"));
            call.Emulator.DeleteInteractionMessage(interaction, call.Value("message_id"));
            return Task.FromResult(RestReply.NoContent);
        });
    }

    private static void MapCommands(RouteGroupBuilder api)
    {
        foreach (var scoped in (bool[])[false, true])
        {
            var prefix = scoped ? "/applications/{application_id}/guilds/{guild_id}/commands" : "/applications/{application_id}/commands";
            Route(api, "GET", prefix, RestAuth.Bot, RestBucket.Default, call =>
                Task.FromResult(RestReply.Ok(call.Emulator.RestGetCommands(call.Bot, call.Snowflake("application_id"), Guild(call)))));
            Route(api, "PUT", prefix, RestAuth.Bot, RestBucket.Default, async call =>
            {
                var body = await call.ReadJsonAsync() as JsonArray
                    ?? throw DiscordRestException.InvalidFormBody("_errors", "BASE_TYPE_ARRAY", "Must be an array.");
                return RestReply.Ok(call.Emulator.RestOverwriteCommands(call.Bot, call.Snowflake("application_id"), Guild(call), body));
            });
            Route(api, "POST", prefix, RestAuth.Bot, RestBucket.Default, async call =>
            {
                var body = await call.ReadJsonObjectAsync();
                var (command, created) = call.Emulator.RestUpsertCommand(call.Bot, call.Snowflake("application_id"), Guild(call), body);
                return created ? RestReply.Created(command) : RestReply.Ok(command);
            });
            Route(api, "GET", prefix + "/{command_id}", RestAuth.Bot, RestBucket.Default, call =>
                Task.FromResult(RestReply.Ok(call.Emulator.RestGetCommand(call.Bot, call.Snowflake("application_id"), Guild(call), call.Snowflake("command_id")))));
            Route(api, "PATCH", prefix + "/{command_id}", RestAuth.Bot, RestBucket.Default, async call =>
            {
                var body = await call.ReadJsonObjectAsync();
                return RestReply.Ok(call.Emulator.RestEditCommand(call.Bot, call.Snowflake("application_id"), Guild(call), call.Snowflake("command_id"), body));
            });
            Route(api, "DELETE", prefix + "/{command_id}", RestAuth.Bot, RestBucket.Default, call =>
            {
                call.Emulator.RestDeleteCommand(call.Bot, call.Snowflake("application_id"), Guild(call), call.Snowflake("command_id"));
                return Task.FromResult(RestReply.NoContent);
            });
        }
    }

    private static ulong? Guild(RestCall call) => call.Value("guild_id").Length == 0 ? null : call.Snowflake("guild_id");

    private static string? ReadString(JsonObject body, string name) =>
        body[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string GatewayUrl(RestCall call)
    {
        var request = call.Http.Request;
        var scheme = request.IsHttps ? "wss" : "ws";
        return scheme + "://" + request.Host.Value + request.PathBase.Value + "/gateway";
    }

    private static JsonObject CurrentUser(RestCall call)
    {
        var user = call.Emulator.RestGetUser(call.Bot.Bot.User.Id);
        user["verified"] = true;
        user["mfa_enabled"] = false;
        user["email"] = null;
        user["locale"] = "en-US";
        return user;
    }

    private static JsonObject Application(RestCall call)
    {
        var bot = call.Bot.Bot;
        var owner = call.Emulator.RestGetUser(bot.User.Id);
        return new JsonObject
        {
            ["id"] = DiscordEmulator.Id(bot.ApplicationId),
            ["name"] = bot.User.Username,
            ["icon"] = null,
            ["description"] = "",
            ["summary"] = "",
            ["type"] = null,
            ["bot_public"] = true,
            ["bot_require_code_grant"] = false,
            ["verify_key"] = Convert.ToHexStringLower(BitConverter.GetBytes(bot.ApplicationId)).PadRight(64, '0'),
            ["flags"] = bot.MessageContentIntentAllowed ? (1 << 18) | (1 << 14) : (1 << 19) | (1 << 15),
            ["owner"] = owner,
            ["team"] = null,
            ["bot"] = call.Emulator.RestGetUser(bot.User.Id),
            ["approximate_guild_count"] = call.Emulator.GetGuilds().Count,
            ["redirect_uris"] = new JsonArray(),
            ["interactions_endpoint_url"] = null,
            ["tags"] = new JsonArray(),
            ["install_params"] = null,
            ["integration_types_config"] = new JsonObject { ["0"] = new JsonObject() },
            ["rpc_origins"] = new JsonArray(),
            ["cover_image"] = null,
            ["guild_id"] = null,
            ["primary_sku_id"] = null,
            ["slug"] = null,
            ["custom_install_url"] = null,
            ["role_connections_verification_url"] = null,
            ["terms_of_service_url"] = null,
            ["privacy_policy_url"] = null,
        };
    }

    internal static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
