using Cordial.Configuration;
using Cordial.Hosting;

namespace Cordial;

/// <summary>
/// <c>cordial run</c> (the default verb): validates the configuration (printing every problem), then runs the bot with
/// /health, /alive and /stats (<see cref="DiagnosticsServer"/>) until Ctrl+C or SIGTERM, and stops gracefully. Without a Discord token it starts the sandbox.
/// </summary>
internal static class RunVerb
{
    public static async Task<int> RunAsync(CommandArguments arguments, IConfigurationRoot configuration, string contentRoot, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var discord = CordialSettings.Bind<DiscordOptions>(configuration, DiscordOptions.SectionName, []);
        if (!discord.HasToken)
        {
            await output.WriteLineAsync("No Discord token configured (Discord:Token): starting the sandbox instead.");
            return await SandboxVerb.RunAsync(arguments, configuration, contentRoot, output, error, cancellationToken);
        }

        var settings = CordialSettings.Load(configuration, requireToken: true);
        if (settings.Problems.Count > 0)
        {
            await error.WriteLineAsync($"cordial: the configuration has {settings.Problems.Count} problem(s); nothing was started:");
            foreach (var problem in settings.Problems)
            {
                await error.WriteLineAsync("  - " + problem);
            }

            return 1;
        }

        var port = arguments.GetInt32("port", settings.Http.Port, 0, 65535);
        using var app = CordialApp.CreateHostBuilder(settings, configuration, contentRoot).Build();
        DiagnosticsServer server;
        try
        {
            // Listening first, as a web host does: a port in use stops everything before the bot connects, and /health
            // answers (unhealthy) while it starts.
            server = DiagnosticsServer.Start(app.Services, settings.Http.Address, port);
        }
        catch (Exception ex) when (ex is System.Net.HttpListenerException or System.Net.Sockets.SocketException)
        {
            await error.WriteLineAsync($"cordial: cannot listen on {settings.Http.Address}:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)} for /health and /stats ({ex.Message}); change Http:Port or --port.");
            return 1;
        }

        await using (var diagnostics = server)
        {
            await app.StartAsync(cancellationToken);
            var address = diagnostics.Address;
            await output.WriteLineAsync($"Cordial is running. Health: {address}health · liveness: {address}alive · Ctrl+C to stop.");

            try
            {
                await app.WaitForShutdownAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }

            await app.StopAsync(CancellationToken.None); // /health answers (unhealthy) while the bot drains
        }

        var failure = app.Services.GetRequiredService<BotRuntime>().Failure;
        if (failure is not null)
        {
            await error.WriteLineAsync($"cordial: the bot stopped: {failure.Message}");
            return 1;
        }

        return 0;
    }
}
