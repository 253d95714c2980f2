using Cordial.Adapters;
using Cordial.Configuration;
using Cordial.Hosting;

namespace Cordial.Integration.Tests;

/// <summary>One running Cordial process (its WebApplication), connected to the world's emulators.</summary>
internal sealed class RunningBot : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private RunningBot(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>http://127.0.0.1:{port}/ (health endpoints).</summary>
    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    public BotRuntime Runtime => Services.GetRequiredService<BotRuntime>();

    /// <summary>REST reads of messages the store did not know.</summary>
    public long RestFetches => Services.GetRequiredService<RestMessageSource>().Fetches;

    public static async Task<RunningBot> StartAsync(IConfigurationRoot configuration, string contentRoot, CancellationToken cancellationToken, ILoggerProvider? logs = null)
    {
        var settings = CordialSettings.Load(configuration, requireToken: true);
        Assert.True(settings.Problems.Count == 0, "test configuration invalid: " + string.Join(" | ", settings.Problems));
        var builder = CordialApp.CreateBuilder(settings, configuration, contentRoot, port: 0);
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }
        var app = builder.Build();
        app.MapCordialHealth();
        await app.StartAsync(cancellationToken);
        var bot = new RunningBot(app, CordialApp.ListeningAddress(app));
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
        await _app.DisposeAsync();
    }
}
