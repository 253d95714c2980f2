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
        await app.StartAsync(cancellationToken);
        await using (var diagnostics = DiagnosticsServer.Start(app.Services, settings.Http.Address, port))
        {
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
