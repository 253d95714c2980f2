using Microsoft.Extensions.Hosting;
using Cordial.Adapters;
using Cordial.Configuration;
using Cordial.Hosting;

namespace Cordial.Integration.Tests;

/// <summary>One running Cordial bot as <c>cordial run</c> hosts it (generic host and diagnostics server), connected to the world's emulators.</summary>
internal sealed class RunningBot : IAsyncDisposable
{
    private readonly IHost _app;
    private readonly DiagnosticsServer _diagnostics;
    private bool _stopped;

    private RunningBot(IHost app, DiagnosticsServer diagnostics)
    {
        _app = app;
        _diagnostics = diagnostics;
    }

    /// <summary>http://127.0.0.1:{port}/ (health endpoints).</summary>
    public Uri Address => _diagnostics.Address;

    public IServiceProvider Services => _app.Services;

    public BotRuntime Runtime => Services.GetRequiredService<BotRuntime>();

    /// <summary>REST reads of messages the store did not know.</summary>
    public long RestFetches => Services.GetRequiredService<RestMessageSource>().Fetches;

    public static async Task<RunningBot> StartAsync(IConfigurationRoot configuration, string contentRoot, CancellationToken cancellationToken, ILoggerProvider? logs = null)
    {
        var settings = CordialSettings.Load(configuration, requireToken: true);
        Assert.True(settings.Problems.Count == 0, "test configuration invalid: " + string.Join(" | ", settings.Problems));
        var builder = CordialApp.CreateHostBuilder(settings, configuration, contentRoot);
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }
        var app = builder.Build();
        var bot = new RunningBot(app, DiagnosticsServer.Start(app.Services, "127.0.0.1", port: 0)); // listening first, as cordial run does
        await app.StartAsync(cancellationToken);
        await bot.Runtime.Ready.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        return bot;
    }

    /// <summary>Graceful stop (gateway closed, answers drained).</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _app.StopAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _diagnostics.DisposeAsync();
        if (_app is IAsyncDisposable app)
        {
            await app.DisposeAsync();
        }
        else
        {
            _app.Dispose();
        }
    }
}
