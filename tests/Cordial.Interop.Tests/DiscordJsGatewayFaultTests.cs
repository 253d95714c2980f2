namespace Cordial.Interop.Tests;

/// <summary>
/// The emulator's connection faults as discord.js 14.28.1 handles them: after a cut connection, op 7 RECONNECT or
/// close code 4000 it RESUMEs and must get the events it missed replayed, then answers a message exactly once.
/// </summary>
public sealed class DiscordJsGatewayFaultTests
{
    [Theory]
    [InlineData("drop")]
    [InlineData("reconnect")]
    [InlineData("close-4000")]
    public Task Discordjs_resumes_after_connection_faults_and_answers_once(string fault) => GatewayFaultScenario.RunAsync(fault);
}
