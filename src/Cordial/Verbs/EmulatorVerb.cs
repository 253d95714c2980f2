using Cordial.Emulator.Discord;
using Cordial.Emulator.Llm;

namespace Cordial;

/// <summary>
/// <c>cordial emulator --port N</c>: the Discord-compatible server (REST under /api/v10, the gateway at /gateway) and the
/// OpenAI/Anthropic-compatible server (under /v1) on one loopback port, so any Discord client or LLM SDK can be pointed at it.
/// </summary>
internal static class EmulatorVerb
{
    public static async Task<int> RunAsync(CommandArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var port = arguments.GetInt32("port", 5080, 0, 65535);
        var token = arguments.GetString("token");

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddDiscordEmulator(o => o.FixedBotToken = token);
        builder.Services.AddLlmEmulator();

        await using var app = builder.Build();
        app.UseWebSockets();
        app.MapDiscordEmulator();
        app.MapLlmEmulator();
        await app.StartAsync(cancellationToken);

        var address = app.Urls.First().TrimEnd('/');
        await output.WriteLineAsync($"""
            Cordial emulator listening on {address}
              Discord REST     {address}/api/v10   (GET /api/v10/gateway/bot names the gateway)
              Discord gateway  {address.Replace("http://", "ws://", StringComparison.Ordinal)}/gateway
              OpenAI API       {address}/v1
              Anthropic API    {address}        (POST /v1/messages)
              control API      {address}/_emulator/discord/ and {address}/_emulator/llm/
              bot token        {(token is null ? "any well-formed token" : "the one given with --token")}
            Press Ctrl+C to stop.
            """);

        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        await app.StopAsync(CancellationToken.None);
        return 0;
    }
}
