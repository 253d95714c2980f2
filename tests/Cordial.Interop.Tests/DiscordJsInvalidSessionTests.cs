namespace Cordial.Interop.Tests;

/// <summary>
/// Op 9 INVALID_SESSION as discord.js 14.28.1 handles it: when resumable it RESUMEs, otherwise it IDENTIFYs a new
/// session (after its identify throttle); either way the bot then answers a message exactly once.
/// </summary>
public sealed class DiscordJsInvalidSessionTests
{
    [Theory]
    [InlineData("invalid-session-resumable")]
    [InlineData("invalid-session")]
    public Task Discordjs_recovers_from_an_invalid_session_and_answers_once(string fault) => GatewayFaultScenario.RunAsync(fault);
}
