using System.Globalization;
using System.Text.Json;
using Cordial.Emulator.Discord;

namespace Cordial.Interop.Tests;

/// <summary>Shared configuration of the discord.js script and checks of what it reported.</summary>
internal static class InteropAssert
{
    public const string Marker = "!interop-check";
    public const string ReplyText = "first text from discord.js";
    public const string EditText = "second text from discord.js";
    public const string EmbedTitle = "interop embed";
    public const string CommandName = "interop";
    public const string CommandReplyText = "command answer from discord.js";
    public const string CommandEditText = "command answer edited by discord.js";
    public const string CommandFollowUpText = "command follow-up from discord.js";

    /// <summary>Bounds each wait on the child process; only a failing test ever reaches it.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(90);

    public static Dictionary<string, string> Environment(DiscordEmulatorHost host, EmulatedBot bot, string compression, string? commandMode = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["CORDIAL_API"] = new Uri(host.BaseAddress, "api").ToString(),
            ["CORDIAL_TOKEN"] = bot.Token,
            ["CORDIAL_COMPRESSION"] = compression,
            ["CORDIAL_MARKER"] = Marker,
            ["CORDIAL_REPLY_TEXT"] = ReplyText,
            ["CORDIAL_EDIT_TEXT"] = EditText,
            ["CORDIAL_HISTORY_LIMIT"] = "10",
            ["CORDIAL_TIMEOUT_MS"] = ((int)(Step * 2).TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
        };
        if (commandMode is not null)
        {
            environment["CORDIAL_COMMAND"] = CommandName;
            environment["CORDIAL_COMMAND_MODE"] = commandMode;
            environment["CORDIAL_COMMAND_REPLY"] = CommandReplyText;
            environment["CORDIAL_COMMAND_EDIT"] = CommandEditText;
            environment["CORDIAL_COMMAND_FOLLOWUP"] = CommandFollowUpText;
        }

        return environment;
    }

    public static void Ready(JsonElement ready, DiscordEmulatorHost host, InteropWorld world, string compression, NodeBot bot)
    {
        var diagnostics = bot.Diagnostics();
        Assert.Equal(world.Bot.User.Id.ToString(), Text(ready, "userId"));
        Assert.True(ready.GetProperty("bot").GetBoolean(), "READY's user is not a bot." + diagnostics);
        Assert.Equal(world.Bot.ApplicationId.ToString(), Text(ready, "applicationId"));
        Assert.Equal(compression, Text(ready, "compression"));

        // discord.js connects to the "url" of GET /gateway/bot with its own query string.
        var gatewayUrl = Text(ready, "gatewayUrl") ?? "";
        Assert.StartsWith(host.GatewayAddress.ToString().TrimEnd('/') + "?", gatewayUrl, StringComparison.Ordinal);
        Assert.Contains("v=10", gatewayUrl, StringComparison.Ordinal);
        Assert.Contains("encoding=json", gatewayUrl, StringComparison.Ordinal);
        Assert.Equal(compression == "zlib-stream", gatewayUrl.Contains("compress=zlib-stream", StringComparison.Ordinal));

        // The guild arrived (GUILD_CREATE) with its text channel before discord.js declared itself ready.
        var guild = ready.GetProperty("guilds").EnumerateArray().SingleOrDefault(g => Text(g, "id") == world.Guild.Id.ToString());
        Assert.True(guild.ValueKind == JsonValueKind.Object, "The guild is missing from discord.js's cache at clientReady." + diagnostics);
        Assert.True(guild.GetProperty("available").GetBoolean(), "The guild is still unavailable at clientReady (no GUILD_CREATE)." + diagnostics);
        Assert.Equal(world.Guild.Name, Text(guild, "name"));
        var channel = guild.GetProperty("channels").EnumerateArray().SingleOrDefault(c => Text(c, "id") == world.Channel.Id.ToString());
        Assert.True(channel.ValueKind == JsonValueKind.Object, "The text channel is missing from GUILD_CREATE." + diagnostics);
        Assert.Equal("general", Text(channel, "name"));
        Assert.Equal(0, channel.GetProperty("type").GetInt32()); // GUILD_TEXT
    }

    public static void NoMentionsAllowed(string? allowedMentionsJson, bool expectRepliedUser)
    {
        Assert.NotNull(allowedMentionsJson);
        using var document = JsonDocument.Parse(allowedMentionsJson);
        var root = document.RootElement;
        Assert.Equal(JsonValueKind.Array, root.GetProperty("parse").ValueKind);
        Assert.Equal(0, root.GetProperty("parse").GetArrayLength());
        if (expectRepliedUser)
        {
            Assert.False(root.GetProperty("replied_user").GetBoolean());
        }
    }

    public static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;
}
