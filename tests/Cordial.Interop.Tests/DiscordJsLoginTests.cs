using Cordial.Emulator.Discord;

namespace Cordial.Interop.Tests;

/// <summary>
/// The two ways a login is refused, as discord.js reports them: a token the emulator does not know (401 on
/// GET /gateway/bot: "TokenInvalid") and a privileged intent the bot is not allowed (gateway close 4014).
/// </summary>
public sealed class DiscordJsLoginTests
{
    private static readonly TimeSpan Step = InteropAssert.Step;

    [Fact]
    public async Task An_unknown_token_is_reported_by_discordjs_as_TokenInvalid()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var node = InteropScript.RequireNodeAndPackages();

        await using var host = await DiscordEmulatorHost.StartAsync(
            new DiscordEmulatorOptions { FixedBotToken = "the.only.token" }, cancellationToken: cancellationToken);
        var impostor = new EmulatedBot(new EmulatedUser(1, "impostor", Bot: true), 1, "another.token.entirely", MessageContentIntentAllowed: true);

        await using var bot = NodeBot.Start(node, InteropScript.ScriptPath, InteropAssert.Environment(host, impostor, "none"));
        var error = await bot.WaitForAsync("error", Step, cancellationToken);
        Assert.Equal(1, await bot.StopAsync(Step, cancellationToken));

        Assert.Equal("login", InteropAssert.Text(error, "where"));
        Assert.Equal("TokenInvalid", InteropAssert.Text(error, "code"));
        Assert.Empty(bot.EventsNamed("ready"));
    }

    [Fact]
    public async Task A_disallowed_message_content_intent_closes_the_gateway_with_4014()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var node = InteropScript.RequireNodeAndPackages();

        await using var host = await DiscordEmulatorHost.StartAsync(cancellationToken: cancellationToken);
        var restricted = host.Emulator.RegisterBot("Restricted", messageContentIntentAllowed: false);

        await using var bot = NodeBot.Start(node, InteropScript.ScriptPath, InteropAssert.Environment(host, restricted, "none"));
        var error = await bot.WaitForAsync("error", Step, cancellationToken);
        Assert.Equal(1, await bot.StopAsync(Step, cancellationToken));
        var diagnostics = bot.Diagnostics();

        // @discordjs/ws turns close code 4014 into this error; discord.js does not reconnect after it.
        Assert.Contains("disallowed intents", InteropAssert.Text(error, "message"), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(bot.EventsNamed("ready"));
        Assert.Contains("Code: 4014", diagnostics, StringComparison.Ordinal);
        Assert.Equal(1, host.Emulator.GetStats(restricted.User.Id).GatewayConnections);
    }
}
