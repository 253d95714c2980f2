using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cordial.Emulator.Discord;

/// <summary>
/// The Discord emulator on its own Kestrel server bound to 127.0.0.1. Owns the server: dispose to stop it.
/// </summary>
public sealed class DiscordEmulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DiscordEmulatorHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        RestBaseAddress = new Uri(baseAddress, "api/v10/");
        GatewayAddress = new Uri("ws://" + baseAddress.Authority + "/gateway");
        Emulator = app.Services.GetRequiredService<DiscordEmulator>();
        Emulator.PublicBaseUrl = baseAddress.ToString();
        Emulator.PublicBaseUrlKnown = true;
    }

    /// <summary>http://127.0.0.1:{port}/</summary>
    public Uri BaseAddress { get; }

    /// <summary>http://127.0.0.1:{port}/api/v10/</summary>
    public Uri RestBaseAddress { get; }

    /// <summary>ws://127.0.0.1:{port}/gateway (GET /api/v10/gateway/bot returns it as "url").</summary>
    public Uri GatewayAddress { get; }

    /// <summary>State and control.</summary>
    public DiscordEmulator Emulator { get; }

    /// <summary>Starts the emulator on 127.0.0.1:<paramref name="port"/> (0 = a free port).</summary>
    public static async Task<DiscordEmulatorHost> StartAsync(DiscordEmulatorOptions? options = null, int port = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        options ??= new DiscordEmulatorOptions();
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear(); // no appsettings.json / ASPNETCORE_* endpoints from the host process: 127.0.0.1 only
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            kestrel.Limits.MaxRequestBodySize = 30L * 1024 * 1024;
        });
        builder.Services.AddSingleton(sp => new DiscordEmulator(options, sp.GetService<ILoggerFactory>()));
        var app = builder.Build();
        app.UseWebSockets();
        app.MapDiscordEmulator();
        try
        {
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var uri = new Uri(address);
            return new DiscordEmulatorHost(app, new Uri("http://127.0.0.1:" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/"));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server, closing every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        Emulator.Faults.AbortAll();
        try
        {
            await _app.StopAsync(CancellationToken.None);
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }
}
