using Cordial.Discord.Models;

namespace Cordial.Discord.Gateway;

/// <summary>GUILD_CREATE: a guild became available or the bot joined it (with channels, threads, roles, members).</summary>
public sealed record GuildCreateEvent(int ShardId, JsonGuild Guild) : GatewayEvent(ShardId);
